import { Textarea, type TextareaProps } from '@mantine/core';

/**
 * A textarea drawn with a page that grows with its text without measuring it: CSS `field-sizing: content`
 * (Chromium); elsewhere it keeps its rows and can be dragged taller. Mantine's `autosize` measures the textarea
 * (react-textarea-autosize) as it is drawn, which lays the whole page out in the middle of its first drawing:
 * a tenth of a second on Account 360. Modals, drawn alone, keep `autosize`.
 */
export function GrowingTextarea({
  minRows = 2,
  maxRows = 10,
  styles,
  ...props
}: Omit<TextareaProps, 'autosize' | 'rows'> & { minRows?: number; maxRows?: number }) {
  const lines = (n: number) => `calc(${n}lh + 2 * var(--input-padding-y, 0px) + 2px)`;
  return (
    <Textarea
      {...props}
      rows={minRows}
      resize="vertical"
      styles={{
        ...(typeof styles === 'object' ? styles : {}),
        input: { fieldSizing: 'content', minHeight: lines(minRows), maxHeight: lines(maxRows) },
      }}
    />
  );
}
