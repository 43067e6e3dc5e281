import { useEffect, useState } from 'react';
import { dragHasUrls, urlsFromDataTransfer } from '../lib/extract-urls';
import { useStore } from '../store/instance';

/**
 * Drag and drop anywhere in the window: links, text holding links and .txt files open the
 * Add dialog prefilled. Returns whether a usable drag is over the window (the overlay).
 * The job panel handles its own drops and stops them before they reach the window.
 */
export function useDropZone(): boolean {
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed: count them to know when we left.
    let depth = 0;
    const usable = (event: DragEvent) => !!event.dataTransfer && dragHasUrls([...event.dataTransfer.types]);
    const onEnter = (event: DragEvent) => {
      if (!usable(event)) return;
      depth += 1;
      setDragging(true);
    };
    const onOver = (event: DragEvent) => {
      if (!usable(event)) return;
      event.preventDefault(); // allows the drop
      event.dataTransfer!.dropEffect = 'copy';
      setDragging(true);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const reset = () => {
      depth = 0;
      setDragging(false);
    };
    const onDrop = async (event: DragEvent) => {
      reset();
      if (!event.dataTransfer) return;
      event.preventDefault(); // never let the browser navigate to a dropped link
      const urls = await urlsFromDataTransfer(event.dataTransfer);
      const { openAdd, notify } = useStore.getState();
      if (urls.length > 0) openAdd(urls.join('\n'));
      else notify('error', 'Nothing to add: the drop held no http(s) links.');
    };
    const drop = (event: DragEvent) => void onDrop(event);
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', drop);
    window.addEventListener('dragend', reset);
    window.addEventListener('haul:dragend', reset);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', drop);
      window.removeEventListener('dragend', reset);
      window.removeEventListener('haul:dragend', reset);
    };
  }, []);

  return dragging;
}
