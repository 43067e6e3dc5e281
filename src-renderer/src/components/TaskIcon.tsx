import { useState } from 'react';
import { taskIconSrc } from '../lib/task-icon';
import { Icon } from './Icon';

/**
 * A task's own icon as an image (never as markup: see task-icon.ts), or the generic job
 * icon when there is none, it is refused, or the image does not load.
 */
export function TaskIcon({ svg, size = 18 }: { svg: string | null; size?: number }) {
  const src = taskIconSrc(svg);
  const [broken, setBroken] = useState<string>();
  if (!src || broken === src) return <Icon name="task" size={size} />;
  return (
    <img
      className="task-icon"
      src={src}
      width={size}
      height={size}
      alt=""
      draggable={false}
      data-testid="task-icon"
      onError={() => setBroken(src)}
    />
  );
}
