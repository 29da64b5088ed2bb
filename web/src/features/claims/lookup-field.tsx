import { Select, Stack, Text } from '@mantine/core';
import { useMemo, useRef } from 'react';

export interface LookupOption {
  value: string;
  label: string;
  /** A second line under the label (what the option is, what is left of it). */
  description?: string;
}

/**
 * A field filled from a look-up: the options come from the server, already filtered by what was typed
 * (`onSearch`), so the list is never filtered again here. A value that is not among the options (typed before,
 * or brought back from a draft) stays shown as itself.
 */
export function LookupField({
  label,
  value,
  onChange,
  options,
  onSearch,
  loading = false,
  placeholder,
  nothingFound,
  error,
  required,
  disabled,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string, option: LookupOption | undefined) => void;
  options: readonly LookupOption[];
  onSearch?: (text: string) => void;
  loading?: boolean;
  placeholder?: string;
  nothingFound: string;
  error?: string | undefined;
  required?: boolean;
  disabled?: boolean;
  testId: string;
}) {
  // Options seen before keep their words once a new search no longer returns them.
  const known = useRef(new Map<string, LookupOption>());
  for (const o of options) known.current.set(o.value, o);
  const data = useMemo(
    () =>
      !value || options.some((o) => o.value === value)
        ? options
        : [known.current.get(value) ?? { value, label: value }, ...options],
    [options, value],
  );
  const descriptions = useMemo(() => new Map(data.map((o) => [o.value, o.description])), [data]);
  const isLabel = (text: string) => [...known.current.values()].some((o) => o.label === text);
  return (
    <Select
      label={label}
      size="xs"
      searchable
      clearable
      required={required}
      disabled={disabled}
      placeholder={placeholder}
      value={value || null}
      data={data.map((o) => ({ value: o.value, label: o.label }))}
      onChange={(v) =>
        onChange(
          v ?? '',
          options.find((o) => o.value === v),
        )
      }
      onSearchChange={(text) => {
        // Choosing an option writes its label into the search box: that is not a new search.
        if (isLabel(text)) return;
        onSearch?.(text);
      }}
      filter={onSearch ? ({ options: all }) => all : undefined}
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text size="sm">{option.label}</Text>
          {descriptions.get(option.value) && (
            <Text size="xs" c="dimmed">
              {descriptions.get(option.value)}
            </Text>
          )}
        </Stack>
      )}
      nothingFoundMessage={loading ? 'Looking…' : nothingFound}
      error={error}
      comboboxProps={{ width: 340, position: 'bottom-start' }}
      data-testid={testId}
    />
  );
}
