import { Badge } from '@mantine/core';
import { type Certificate, certificateState } from './tax';

export function CertificateBadge({ certificate }: { certificate: Certificate }) {
  const s = certificateState(certificate);
  return (
    <Badge color={s.color} variant="light" data-testid={`certificate-state-${certificate.certificate_id}`}>
      {s.label}
    </Badge>
  );
}
