// A plain textarea for template source with a line-number gutter: each error is marked at its
// line (gutter and a band behind the text) and listed below, linked to the textarea as its error
// message, with a button that puts the cursor on that line. The textarea grows with its content
// inside one scrolling box, so the gutter never needs to follow its scroll.
import { useRef } from 'react';
import { Button, FieldError, Label, TextArea, TextField } from 'react-aria-components';
import { t } from '../../i18n';

export interface CodeProblem {
  line: number | null;
  column: number | null;
  message: string;
}

const LINE_PX = 20;
const PAD_PX = 8;

export function CodeArea({ name, label, value, onChange, problems }: { name: string; label: string; value: string; onChange: (value: string) => void; problems: CodeProblem[] }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const lines = value.split('\n');
  const bad = new Set(problems.map((p) => p.line).filter((line): line is number => line !== null));

  const goTo = (line: number, column: number | null) => {
    const textarea = area.current;
    if (!textarea) return;
    const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    const end = start + (lines[line - 1]?.length ?? 0);
    textarea.focus();
    textarea.setSelectionRange(column ? Math.min(start + column - 1, end) : start, end);
    box.current?.scrollTo({ top: Math.max(0, (line - 3) * LINE_PX) });
  };

  return (
    <TextField name={name} value={value} onChange={onChange} isInvalid={problems.length > 0} className="react-aria-TextField code-field">
      <Label>{label}</Label>
      <div className="code-box" ref={box} style={{ ['--line' as string]: `${LINE_PX}px`, ['--pad' as string]: `${PAD_PX}px` }}>
        <ol className="code-gutter" aria-hidden="true">
          {lines.map((_, index) => (
            <li key={index} className={bad.has(index + 1) ? 'bad' : undefined}>
              {index + 1}
            </li>
          ))}
        </ol>
        <div className="code-lines">
          {[...bad].map((line) => (
            <span key={line} className="code-band" style={{ top: PAD_PX + (line - 1) * LINE_PX }} data-error-line={line} />
          ))}
          <TextArea ref={area} rows={Math.max(lines.length, 3)} wrap="off" spellCheck={false} autoCapitalize="off" autoCorrect="off" />
        </div>
      </div>
      <FieldError className="react-aria-FieldError code-problems">
        {problems.map((problem, index) => (
          <span key={index} className="code-problem" data-problem-line={problem.line ?? ''}>
            {problem.line !== null ? (
              <Button className="quiet line-link" onPress={() => goTo(problem.line!, problem.column)}>
                {problem.column !== null ? t('settings.lineColumn', { line: problem.line, column: problem.column }) : t('settings.line', { line: problem.line })}
              </Button>
            ) : null}{' '}
            {problem.message}
          </span>
        ))}
      </FieldError>
    </TextField>
  );
}
