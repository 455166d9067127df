import { useState } from 'react';
import { saveBlob } from '../common/save-file';
import { svgToPng } from './export-image';
import { exportSize, lineageSvg } from './export-svg';
import type { ExportNode } from './export-svg';
import type { ShownLayout } from './useShownLayout';

/** Saving the drawing as SVG or PNG; a PNG that cannot be made leaves an error to show. */
export function useLineageExport(current: ShownLayout | null, nodes: () => ExportNode[], title: string) {
  const [exportError, setExportError] = useState<string | null>(null);

  const exportSvg = (): string | null => (current === null ? null : lineageSvg(current.layout, nodes(), current.edges, title));

  const saveSvg = () => {
    const svg = exportSvg();
    if (svg !== null) saveBlob(new Blob([svg], { type: 'image/svg+xml' }), 'lineage.svg');
  };

  const savePng = () => {
    const svg = exportSvg();
    if (svg === null || current === null) return;
    const { width, height } = exportSize(current.layout);
    setExportError(null);
    svgToPng(svg, width, height).then(
      (png) => saveBlob(png, 'lineage.png'),
      (error: unknown) => setExportError(`Could not export PNG: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  return { saveSvg, savePng, exportError };
}
