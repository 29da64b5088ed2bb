import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFileCertificate, IconInfoCircle, IconPencil } from '@tabler/icons-react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ClaimsAgainst } from '../features/contracts/claims-against';
import {
  programPath,
  programWriters,
  statusColors,
  statusLabels,
  typeLabels,
} from '../features/contracts/contract';
import { DealsGrid } from '../features/contracts/deals-grid';
import { EligibleProducts, ProgramBudget, ProgramPartners } from '../features/contracts/program-coverage';
import { ProgramTermsCard } from '../features/contracts/program-terms';
import { ProgramVersions } from '../features/contracts/program-versions';
import { ProposeProgramModal } from '../features/contracts/propose-program-modal';
import { useDeals, useProgram } from '../features/contracts/use-contracts';
import { useUser } from '../features/identity/session';
import { hasAnyRole, isPartner } from '../features/identity/user';
import { AuditTrail } from '../features/platform/audit/audit-trail';
import { ApiError } from '../ui/api';
import { formatDate } from '../ui/dates';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

export default function ProgramPage() {
  const { programId = '' } = useParams();
  const [params] = useSearchParams();
  const versionParam = params.get('version');
  const version = versionParam && /^\d+$/.test(versionParam) ? Number(versionParam) : undefined;
  const user = useUser();
  const partner = isPartner(user);
  const program = useProgram(programId, version);
  const specialBid = program.data?.type === 'special_bid';
  const deals = useDeals({ program_id: programId }, specialBid);
  const [proposing, propose] = useDisclosure(false);
  const back = partner ? { to: '/my-programs', label: 'Programs' } : { to: '/programs', label: 'Programs' };

  if (program.isPending) return <Loading label="Loading program…" />;
  if (program.isError) {
    if (program.error instanceof ApiError && program.error.status === 404) {
      return (
        <Empty
          icon={<IconFileCertificate size={22} stroke={1.5} />}
          title="No such program"
          description={
            version
              ? `Program ${programId} has no version ${version} that you can see.`
              : `There is no program ${programId} that you can see.`
          }
          action={
            <Button component={Link} to={back.to} variant="light">
              Back to programs
            </Button>
          }
        />
      );
    }
    return <LoadError error={program.error} retry={() => void program.refetch()} what="the program" />;
  }

  const data = program.data;
  const v = data.version;
  const inForce = data.active_version;
  return (
    <div data-testid="program-detail">
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to={back.to} size="sm">
              {back.label}
            </Anchor>
            <Text size="sm" c="dimmed">
              {data.program_id}
            </Text>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm">
            {v.name}
            <Badge variant="light" color={statusColors[v.status]} radius="sm" size="lg">
              Version {v.version} · {statusLabels[v.status]}
            </Badge>
          </Group>
        }
        description={`${typeLabels[data.type]} · ${v.currency} · ${formatDate(v.start_date)} – ${formatDate(v.end_date)}`}
        actions={
          !partner &&
          hasAnyRole(user, programWriters) && (
            <Button leftSection={<IconPencil size={16} />} variant="default" onClick={propose.open}>
              Propose a change
            </Button>
          )
        }
      />
      {v.version !== inForce && (
        <Alert
          color={v.status === 'draft' || v.status === 'approved' ? 'yellow' : 'gray'}
          icon={<IconInfoCircle size={18} />}
          mb="lg"
        >
          {inForce === null
            ? 'No version of this program is in force yet: claims cannot be made against it until an approver activates one.'
            : `You are looking at version ${v.version} (${statusLabels[v.status].toLowerCase()}). Version ${inForce} is in force.`}{' '}
          {inForce !== null && (
            <Anchor component={Link} to={programPath(data.program_id)} size="sm">
              Show the version in force
            </Anchor>
          )}
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: partner ? 12 : 8 }}>
          <Stack gap="lg">
            <ProgramTermsCard terms={data.terms} />
            <ProgramVersions program={data} shown={v.version} />
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, md: 6 }}>
                <ProgramPartners program={data} linkAccounts />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <ProgramBudget program={data} />
              </Grid.Col>
            </Grid>
            <EligibleProducts program={data} linkProducts={!partner} />
            {specialBid && (
              <Card>
                <Title order={3} fz="md" fw={600} mb="sm">
                  Deals under this program
                </Title>
                {deals.isPending ? (
                  <Loading label="Loading deals…" />
                ) : deals.isError ? (
                  <LoadError error={deals.error} retry={() => void deals.refetch()} what="deals" />
                ) : deals.data.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    No deals yet. The deal desk's deals arrive through deals.csv.
                  </Text>
                ) : (
                  <DealsGrid
                    deals={deals.data}
                    // Header, rows and room for a horizontal scrollbar; longer lists scroll.
                    height={Math.min(420, 60 + 36 * deals.data.length)}
                    partner={partner}
                  />
                )}
              </Card>
            )}
            <ClaimsAgainst claims={data.claims} currency={v.currency} what="program" />
          </Stack>
        </Grid.Col>
        {!partner && (
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <AuditTrail entityType="program" entityId={data.program_id} />
          </Grid.Col>
        )}
      </Grid>
      {proposing && <ProposeProgramModal terms={data.terms} onClose={propose.close} />}
    </div>
  );
}
