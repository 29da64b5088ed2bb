import { Button } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { Empty } from '../ui/states';

export default function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Empty
      icon={<IconMapQuestion size={22} stroke={1.5} />}
      title="There is no page here"
      description={`Nothing in Clearhouse lives at ${pathname}. The link may be old or mistyped.`}
      action={
        <Button component={Link} to="/" variant="light">
          Go to home
        </Button>
      }
    />
  );
}
