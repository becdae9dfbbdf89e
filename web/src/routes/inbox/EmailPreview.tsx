// The email exactly as the candidate will see it: its HTML in a sandboxed frame (no scripts, no
// same-origin access: `sandbox` with no allowances), at a desktop or a mobile width, and the text part.
import { useState } from 'react';
import { Radio, RadioGroup, Label } from 'react-aria-components';
import { t } from '../../i18n';

const WIDTHS = { desktop: 640, mobile: 375 } as const;

export function EmailPreview({ name, html, text }: { name: string; html: string | null | undefined; text: string | null | undefined }) {
  const [width, setWidth] = useState<keyof typeof WIDTHS>('desktop');
  if (!html && !text) return <p className="muted">{t('inbox.noPreview')}</p>;
  return (
    <section className="preview" aria-label={t('inbox.preview', { name })}>
      <RadioGroup value={width} onChange={(value) => setWidth(value === 'mobile' ? 'mobile' : 'desktop')} orientation="horizontal" className="widths">
        <Label>{t('inbox.preview', { name })}</Label>
        <Radio value="desktop">{t('inbox.previewDesktop')}</Radio>
        <Radio value="mobile">{t('inbox.previewMobile')}</Radio>
      </RadioGroup>
      {html ? <iframe title={t('inbox.preview', { name })} sandbox="" srcDoc={html} style={{ width: WIDTHS[width] }} className="email-frame" /> : null}
      {text ? (
        <details>
          <summary>{t('inbox.textPart')}</summary>
          <pre className="text-part">{text}</pre>
        </details>
      ) : null}
    </section>
  );
}
