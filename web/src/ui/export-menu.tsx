import { Button, Menu } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';

/** A page's "Export" button: the files the page offers, each a link the browser downloads. */
export function ExportMenu({ files }: { files: { label: string; href: string }[] }) {
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />}>
          Export
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {files.map((f) => (
          <Menu.Item key={f.href} component="a" href={f.href}>
            {f.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
