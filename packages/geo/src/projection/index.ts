export { BNG_PROJ4, toBng, fromBng, lonLatToBng, bngToLonLat } from './bng';
