import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import { crossingMessage, lonLatText } from '../src/features/areas/areaErrors';

describe('a shape the server refused at a point', () => {
  it('names the point with hemispheres, five decimals', () => {
    expect(lonLatText([1.1, 54.355])).toBe('54.35500° N, 1.10000° E');
    expect(lonLatText([-1.5, -0.25])).toBe('0.25000° S, 1.50000° W');
  });

  it('says what is wrong, where, and what to do, without the field prefix', () => {
    const err = new ApiError(422, 'invalid_geometry', 'geometry: edges cross', [-1.2, 53.1]);
    expect(crossingMessage(err)).toBe(
      'The shape cannot be saved: edges cross (53.10000° N, 1.20000° W, marked on the map). Move a corner there, or draw it again.',
    );
  });

  it('leaves other failures to the usual message', () => {
    expect(crossingMessage(new ApiError(422, 'invalid', 'name is required'))).toBeNull();
    expect(crossingMessage(new Error('offline'))).toBeNull();
  });
});
