import { useId, useState } from 'react';
import type { ExportedFile, ReportFormat } from '../../../shared/api/contract';
import { decodeBase64Strict } from '../../../shared/encoding/base64';
import { errorText, useCommandMutation } from '../bridge/hooks';
import { OutsideText } from '../common/OutsideText';
import { saveBlob } from '../common/save-file';

const FORMATS: { value: ReportFormat; label: string }[] = [
  { value: 'pdf', label: 'PDF (A4)' },
  { value: 'html', label: 'HTML, one file that opens offline' },
  { value: 'md', label: 'Markdown, for a wiki or a pull request' },
];

function save(file: ExportedFile): void {
  saveBlob(new Blob([new Uint8Array(decodeBase64Strict(file.base64, file.fileName))], { type: file.mediaType }), file.fileName);
}

/**
 * "Export report…": the record of the release for the board's minutes, made on the Node side
 * from the same session as the screen, and offered as a download (with the evidence zip when asked).
 */
export function ExportReportButton({ sessionId }: { sessionId: string }) {
  const formId = useId();
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ReportFormat>('pdf');
  const [evidence, setEvidence] = useState(false);
  const exporting = useCommandMutation('report.export', {
    onSuccess: (made) => {
      save(made.document);
      if (made.evidence !== null) save(made.evidence);
      setOpen(false);
    },
  });

  if (!open) {
    return (
      <button type="button" aria-expanded={false} aria-controls={formId} onClick={() => setOpen(true)}>
        Export report…
      </button>
    );
  }
  return (
    <span className="export-report">
      <button type="button" aria-expanded={true} aria-controls={formId} onClick={() => setOpen(false)}>
        Export report…
      </button>
      {/* A group, not a form: the toolbar it sits in is a paragraph. */}
      <span id={formId} role="group" aria-label="Export the release record">
        <label>
          Format{' '}
          <select value={format} onChange={(event) => setFormat(event.target.value as ReportFormat)}>
            {FORMATS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          <input type="checkbox" checked={evidence} onChange={(event) => setEvidence(event.target.checked)} /> With the evidence zip (to re-check offline)
        </label>{' '}
        <button type="button" disabled={exporting.isPending} onClick={() => exporting.mutate({ sessionId, format, evidence })}>
          {exporting.isPending ? 'Making the record…' : 'Save'}
        </button>
      </span>
      {exporting.isError ? (
        // A span, not ErrorNotice's paragraph: this sits inside the toolbar's paragraph.
        <span role="alert" className="error-notice">
          The record could not be made: <OutsideText text={errorText(exporting.error)} />
        </span>
      ) : null}
    </span>
  );
}
