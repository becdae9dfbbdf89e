// One of a few options, as React Aria radio buttons. Settings avoid React Aria's Select, Tabs and
// CheckboxGroup: their shared code (popover positioning, collections) would land in the initial
// bundle, since the screens there already load the modules it lives in.
import { FieldError, Label, Radio, RadioGroup } from 'react-aria-components';

export function Choice<T extends string>({
  label,
  value,
  options,
  onChange,
  name,
  words,
  className,
}: {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (value: T) => void;
  name?: string;
  words: (value: T) => string;
  className?: string;
}) {
  return (
    <RadioGroup
      name={name}
      value={value}
      onChange={(key) => onChange(options.find((option) => option === key) ?? value)}
      orientation="horizontal"
      className={`react-aria-RadioGroup choice ${className ?? ''}`}
    >
      <Label>{label}</Label>
      <div className="choice-options">
        {options.map((option) => (
          <Radio key={option} value={option}>
            {words(option)}
          </Radio>
        ))}
      </div>
      <FieldError />
    </RadioGroup>
  );
}
