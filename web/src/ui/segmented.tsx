import { Box, type BoxProps, type MantineSpacing, type StyleProp } from '@mantine/core';
import { type ReactNode, useId } from 'react';

export interface SegmentedProps {
  value: string;
  onChange: (value: string) => void;
  data: readonly (string | { value: string; label: ReactNode })[];
  size?: 'xs' | 'sm';
  mb?: StyleProp<MantineSpacing>;
  w?: BoxProps['w'];
  'data-testid'?: string;
  'aria-label'?: string;
}

/**
 * One of a few choices, drawn like Mantine's SegmentedControl: a group of radio buttons, so the keyboard and
 * screen readers work as they do with any radio group. Mantine's slides an indicator that measures the page
 * (getBoundingClientRect, getComputedStyle) whenever it is drawn or resized: on a page with a grid, each such
 * measure laid the whole page out again, 30–80 ms on a laptop.
 */
export function Segmented({ value, onChange, data, size = 'sm', mb, w, ...rest }: SegmentedProps) {
  const name = useId();
  return (
    <Box mb={mb} w={w} className="segmented" data-size={size} role="radiogroup" {...rest}>
      {data.map((item) => {
        const choice = typeof item === 'string' ? { value: item, label: item } : item;
        const active = choice.value === value;
        return (
          <label key={choice.value} className="segmented-item" data-active={active || undefined}>
            <input
              type="radio"
              className="segmented-input"
              name={name}
              value={choice.value}
              checked={active}
              onChange={() => onChange(choice.value)}
            />
            {choice.label}
          </label>
        );
      })}
    </Box>
  );
}
