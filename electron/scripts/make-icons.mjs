// Draws the app icon (assets/icon.svg's design: a blue rounded square with a white seal ring
// and check mark) procedurally and writes the files packaging needs:
//   assets/build/icon.png  1024×1024 RGBA (Linux, and macOS's .icns is generated from it)
//   assets/build/icon.ico  PNG-compressed entries from 16 to 256 px (Windows)
// No image library: shapes are signed distance functions, anti-aliased by coverage, and the
// PNG is written by hand with node:zlib.
//
// Usage: node electron/scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { repoRoot } from './electron-runtime.mjs';

// The design, in a 1024-unit square (the same numbers as assets/icon.svg).
const DESIGN = 1024;
const tile = { center: 512, halfSide: 412, radius: 185 };
const gradient = { top: [0x3b, 0x5b, 0xdb], bottom: [0x1e, 0x2a, 0x78] };
const ring = { center: 512, radius: 270, width: 44 };
const check = { points: [[372, 522], [472, 620], [660, 420]], width: 64 };

const clamp01 = (value) => Math.min(1, Math.max(0, value));

function roundedSquareDistance(x, y) {
  const qx = Math.abs(x - tile.center) - (tile.halfSide - tile.radius);
  const qy = Math.abs(y - tile.center) - (tile.halfSide - tile.radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - tile.radius;
}

function ringDistance(x, y) {
  return Math.abs(Math.hypot(x - ring.center, y - ring.center) - ring.radius) - ring.width / 2;
}

function segmentDistance(x, y, [ax, ay], [bx, by]) {
  const abx = bx - ax;
  const aby = by - ay;
  const t = clamp01(((x - ax) * abx + (y - ay) * aby) / (abx * abx + aby * aby));
  return Math.hypot(x - (ax + t * abx), y - (ay + t * aby));
}

function checkDistance(x, y) {
  const [a, b, c] = check.points;
  return Math.min(segmentDistance(x, y, a, b), segmentDistance(x, y, b, c)) - check.width / 2;
}

/** RGBA pixels of the icon at `size`×`size`. */
function drawIcon(size) {
  const scale = size / DESIGN;
  const pixels = Buffer.alloc(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (column + 0.5) / scale;
      const y = (row + 0.5) / scale;
      // Distances in design units times scale are distances in pixels; half a pixel each side
      // of an edge gives a one-pixel anti-aliased ramp.
      const tileCoverage = clamp01(0.5 - roundedSquareDistance(x, y) * scale);
      const markCoverage = clamp01(0.5 - Math.min(ringDistance(x, y), checkDistance(x, y)) * scale);
      const t = clamp01((y - (tile.center - tile.halfSide)) / (2 * tile.halfSide));
      const offset = (row * size + column) * 4;
      for (let channel = 0; channel < 3; channel++) {
        const background = gradient.top[channel] + (gradient.bottom[channel] - gradient.top[channel]) * t;
        pixels[offset + channel] = Math.round(background + (255 - background) * markCoverage);
      }
      pixels[offset + 3] = Math.round(255 * tileCoverage);
    }
  }
  return pixels;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  // compression, filter and interlace methods stay 0
  const stride = size * 4;
  const scanlines = Buffer.alloc((stride + 1) * size);
  for (let row = 0; row < size; row++) {
    scanlines[row * (stride + 1)] = 0; // filter: none
    rgba.copy(scanlines, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(scanlines, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO whose entries are PNGs (supported since Windows Vista); 256 is written as 0. */
function encodeIco(pngsBySize) {
  const entries = [...pngsBySize.entries()];
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  const directory = Buffer.alloc(16 * entries.length);
  let offset = header.length + directory.length;
  entries.forEach(([size, png], index) => {
    const at = index * 16;
    directory[at] = size >= 256 ? 0 : size;
    directory[at + 1] = size >= 256 ? 0 : size;
    directory.writeUInt16LE(1, at + 4); // colour planes
    directory.writeUInt16LE(32, at + 6); // bits per pixel
    directory.writeUInt32LE(png.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...entries.map(([, png]) => png)]);
}

const outDir = path.join(repoRoot, 'assets', 'build');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'icon.png'), encodePng(1024, drawIcon(1024)));
const icoSizes = [16, 24, 32, 48, 64, 128, 256];
fs.writeFileSync(path.join(outDir, 'icon.ico'), encodeIco(new Map(icoSizes.map((size) => [size, encodePng(size, drawIcon(size))]))));
console.log('Wrote assets/build/icon.png (1024×1024) and assets/build/icon.ico (16–256 px).');
