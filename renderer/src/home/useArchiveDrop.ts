import { useEffect, useState } from 'react';
import { useBridge } from '../bridge/BridgeContext';
import { call, errorText } from '../bridge/hooks';
import { base64OfDataUrl, dropProblem } from './drop';

export type DropState =
  | { phase: 'idle' }
  | { phase: 'dragging' }
  | { phase: 'importing'; fileName: string }
  | { phase: 'failed'; message: string };

/**
 * Accepts an archive dropped anywhere on the window: checks it, sends its bytes to the host
 * (`bundle.importArchive`) and opens the path the host unpacked it to.
 */
export function useArchiveDrop(openBundle: (path: string) => void): { drop: DropState; dismiss(): void } {
  const bridge = useBridge();
  const [drop, setDrop] = useState<DropState>({ phase: 'idle' });

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed; counting them tells when the pointer really left.
    let depth = 0;
    const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

    const onDragEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth++;
      setDrop((current) => (current.phase === 'importing' ? current : { phase: 'dragging' }));
    };
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the browser would navigate to the dropped file.
      event.preventDefault();
      if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy';
    };
    const onDragLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDrop((current) => (current.phase === 'dragging' ? { phase: 'idle' } : current));
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      const files = event.dataTransfer?.files;
      if (files === undefined || files.length !== 1) {
        setDrop({ phase: 'failed', message: 'Drop one archive at a time.' });
        return;
      }
      const file = files[0];
      if (file !== undefined) void importFile(file);
    };

    const importFile = async (file: File) => {
      const problem = dropProblem(file.name, file.size);
      if (problem !== null) {
        setDrop({ phase: 'failed', message: problem });
        return;
      }
      setDrop({ phase: 'importing', fileName: file.name });
      try {
        const base64 = base64OfDataUrl(await readAsDataUrl(file));
        const { path } = await call(bridge, 'bundle.importArchive', { fileName: file.name, base64 });
        setDrop({ phase: 'idle' });
        openBundle(path);
      } catch (error) {
        setDrop({ phase: 'failed', message: `${file.name} was not opened: ${errorText(error)}` });
      }
    };

    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [bridge, openBundle]);

  return { drop, dismiss: () => setDrop({ phase: 'idle' }) };
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('the file could not be read')));
    // A dropped folder has no bytes to read; say what to do instead.
    reader.onerror = () => reject(new Error('the file could not be read (to open a folder, use Open folder… or its path)'));
    reader.readAsDataURL(file);
  });
}
