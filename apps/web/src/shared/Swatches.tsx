import { useEffect, useRef } from 'react';
import type { IconImage } from '../map/types';

/** Paints runtime image bytes (the very ones the map uses) into a small canvas, tiled to fill it. */
export function ImageSwatch({ image, width, height, label }: { image: IconImage; width?: number; height?: number; label?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cssW = width ?? image.width / image.pixelRatio;
  const cssH = height ?? image.height / image.pixelRatio;
  const pxW = Math.round(cssW * image.pixelRatio);
  const pxH = Math.round(cssH * image.pixelRatio);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, pxW, pxH);
    const tile = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
    for (let y = 0; y < pxH; y += image.height) for (let x = 0; x < pxW; x += image.width) ctx.putImageData(tile, x, y);
  }, [image, pxW, pxH]);
  return (
    <canvas
      ref={ref}
      width={pxW}
      height={pxH}
      className="swatch swatch--image"
      style={{ width: cssW, height: cssH }}
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    />
  );
}

export function FillSwatch({ colour, opacity = 1, border, dashed }: { colour: string; opacity?: number; border?: string; dashed?: boolean }) {
  return (
    <span
      className="swatch swatch--fill"
      aria-hidden="true"
      style={{
        background: colour,
        opacity,
        ...(border && { borderColor: border, borderStyle: dashed ? 'dashed' : 'solid' }),
      }}
    />
  );
}

/** A fill swatch with a separate outline, both at full strength so thin dashes stay visible. */
export function AreaSwatch({ fill, fillOpacity, line, lineWidth, dashed, cased, children }: { fill?: string; fillOpacity?: number; line: string; lineWidth: number; dashed?: boolean; cased?: boolean; children?: React.ReactNode }) {
  return (
    <span
      className="swatch swatch--area"
      aria-hidden="true"
      style={{
        outline: `${lineWidth}px ${dashed ? 'dashed' : 'solid'} ${line}`,
        outlineOffset: -lineWidth,
        // A white casing inside the edge, as the map draws drawn areas.
        ...(cased && { boxShadow: `inset 0 0 0 ${lineWidth + 2}px #ffffff` }),
      }}
    >
      {fill && <span className="swatch__wash" style={{ background: fill, opacity: fillOpacity ?? 1 }} />}
      {children}
    </span>
  );
}
