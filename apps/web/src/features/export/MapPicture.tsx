import { useEffect, useState, type ReactNode } from 'react';
import { boundsOf, captureMap } from './capture';
import { canvasToPng, composeRoutePicture } from './compose';
import { attributionLine } from './naming';
import { mapForPictures } from './source';
import './export.css';

/** Canvas pixels per CSS pixel of the route picture: sharp on paper. */
const PICTURE_RATIO = 2;

/**
 * A picture of the live map fitted to some points (a patrol route), with whatever the map draws under them (base map
 * or context layer, the route and its numbered stops), a scale bar, north arrow and attribution. Until the picture is
 * ready, or when none can be made (no map, no WebGL), `children` (a drawn fallback) shows instead; once it is ready
 * the fallback stays in the page, hidden.
 */
export function MapPicture({ points, alt, children }: { points: readonly (readonly [number, number])[]; alt: string; children: ReactNode }) {
  const [url, setUrl] = useState<string | null>(null);
  const key = points.map((p) => `${p[0].toFixed(6)},${p[1].toFixed(6)}`).join(';');

  useEffect(() => {
    const map = mapForPictures();
    const bbox = boundsOf(points);
    if (!map || !bbox) return;
    let cancelled = false;
    let made: string | null = null;
    void (async () => {
      try {
        const captured = await captureMap(map, { pixelRatio: PICTURE_RATIO, fit: { bbox, padding: 40, maxZoom: 16 } });
        const blob = await canvasToPng(composeRoutePicture(captured, attributionLine(captured.attributions)));
        if (cancelled) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      } catch (err) {
        // The drawn fallback stays: say why in the console for whoever supports the app.
        console.warn('Safer Places: no map picture for the sheet', err);
      }
    })();
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
      setUrl(null);
    };
    // The points are compared by their text key.
  }, [key]);

  return (
    <>
      {url && <img className="map-picture" src={url} alt={alt} data-testid="map-picture" />}
      <div className="map-picture__fallback" hidden={!!url}>
        {children}
      </div>
    </>
  );
}
