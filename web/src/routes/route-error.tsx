import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** A page that crashed: say so plainly and keep the rest of the app usable. */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  const stale =
    error instanceof Error && /dynamically imported module|Importing a module script/i.test(error.message);
  return (
    <Stack maw={640}>
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title="This page could not be shown">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            {stale
              ? 'Clearhouse was updated since this tab was opened. Reload to get the new version.'
              : 'Something went wrong while showing this page. Reloading often helps; if it keeps happening, tell your administrator what you were doing.'}
          </Text>
          <Code>{detail}</Code>
          <Button.Group>
            <Button size="xs" variant="light" color="red" onClick={() => window.location.reload()}>
              Reload
            </Button>
            <Button size="xs" variant="default" component={Link} to="/">
              Go to home
            </Button>
          </Button.Group>
        </Stack>
      </Alert>
    </Stack>
  );
}
