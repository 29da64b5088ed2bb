import { ActionIcon, TextInput, type TextInputProps } from '@mantine/core';
import { IconCalendar } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { formatDateInput, parseDateInput } from './dates';
import { datePattern } from './locale';

type DateInputProps = Omit<TextInputProps, 'type' | 'value' | 'onChange' | 'defaultValue'> & {
  /** The date as the server takes it: 'YYYY-MM-DD', or '' for none. */
  value: string;
  /** Called with the date as 'YYYY-MM-DD' once what is typed is a date ('' once it is cleared). */
  onChange?: (event: { currentTarget: { value: string } }) => void;
};

/**
 * A business date typed and shown in the user's locale ('31.12.2026' in de-DE, '12/31/2026' in en-US; a
 * 'YYYY-MM-DD' typed or pasted is read too), with the browser's calendar behind the button. The value in and
 * out is always 'YYYY-MM-DD' (also on the input's `data-value`).
 */
export function DateInput({ value, onChange, rightSection, placeholder, ...props }: DateInputProps) {
  const [text, setText] = useState(() => formatDateInput(value));
  const picker = useRef<HTMLInputElement>(null);
  const emitted = useRef(value);
  // A value set from outside (a reset, a default) shows in the locale; what the user is typing stays.
  useEffect(() => {
    if (value !== emitted.current) {
      emitted.current = value;
      setText(formatDateInput(value));
    }
  }, [value]);
  const emit = (iso: string) => {
    emitted.current = iso;
    onChange?.({ currentTarget: { value: iso } });
  };
  const typed = (next: string) => {
    setText(next);
    if (!next.trim()) emit('');
    else {
      const iso = parseDateInput(next);
      if (iso) emit(iso);
    }
  };
  const bad = text.trim() !== '' && parseDateInput(text) === null;
  return (
    <TextInput
      {...props}
      value={text}
      placeholder={placeholder ?? datePattern().example}
      inputMode="numeric"
      autoComplete="off"
      data-value={value}
      error={props.error ?? (bad ? `A date like ${datePattern().example}` : undefined)}
      onChange={(event) => typed(event.currentTarget.value)}
      onBlur={(event) => {
        const iso = parseDateInput(text);
        if (iso) setText(formatDateInput(iso));
        props.onBlur?.(event);
      }}
      rightSection={
        rightSection ?? (
          <>
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label="Pick a date"
              tabIndex={-1}
              disabled={props.disabled}
              onClick={() => picker.current?.showPicker?.()}
            >
              <IconCalendar size={16} />
            </ActionIcon>
            <input
              ref={picker}
              type="date"
              tabIndex={-1}
              aria-hidden
              value={value}
              min={typeof props.min === 'string' ? props.min : undefined}
              max={typeof props.max === 'string' ? props.max : undefined}
              onChange={(event) => {
                const iso = event.currentTarget.value;
                setText(formatDateInput(iso));
                emit(iso);
              }}
              style={{
                position: 'absolute',
                opacity: 0,
                pointerEvents: 'none',
                width: 1,
                height: 1,
                right: 8,
              }}
            />
          </>
        )
      }
    />
  );
}
