// A labelled choice of one among a few fixed options (React Aria's Select: a button, a popover and
// its list box, keyboard and screen-reader ready).
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

interface Props<T extends string> {
  label: string;
  value: T;
  options: readonly T[];
  /** The option's words. */
  text: (option: T) => string;
  onChange: (value: T) => void;
  isInvalid?: boolean;
}

export function SelectField<T extends string>({ label, value, options, text, onChange, isInvalid = false }: Props<T>) {
  return (
    <Select value={value} onChange={(key) => onChange(options.find((option) => option === key) ?? value)} isInvalid={isInvalid}>
      <Label>{label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover className="popover">
        <ListBox>
          {options.map((option) => (
            <ListBoxItem key={option} id={option}>
              {text(option)}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
