package picture

import (
	"image"
	"image/color"
)

// shrink averages src down to w×h pixels (each no larger than src's) and
// returns 8-bit grey (an *image.Gray) or 8-bit colour with alpha (an
// *image.NRGBA). Each output pixel is the area-weighted mean of the source
// pixels under it, in premultiplied 16-bit colour, so transparent pixels
// lend no colour to their neighbours. Weights are integers: a source pixel
// is w (across) by h (down) units and an output pixel src width by src
// height units, so every overlap is a whole number and the result is the
// same on every machine (floating point may be fused differently on
// different processors).
func shrink(src image.Image, w, h int, grey bool) image.Image {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	ch := 4
	if grey {
		ch = 1
	}
	cols := spans(sw, w)
	row := make([]uint32, sw*ch)   // one source row, 16-bit premultiplied
	across := make([]uint64, w*ch) // that row averaged across, unnormalised
	acc := make([]uint64, w*ch)    // the output row being summed
	total := uint64(sw) * uint64(sh)
	var out image.Image
	var pix []uint8
	var stride int
	if grey {
		g := image.NewGray(image.Rect(0, 0, w, h))
		out, pix, stride = g, g.Pix, g.Stride
	} else {
		n := image.NewNRGBA(image.Rect(0, 0, w, h))
		out, pix, stride = n, n.Pix, n.Stride
	}
	lastY := -1
	for y, r := range spans(sh, h) {
		clear(acc)
		for k, wy := range r.weights {
			sy := r.first + k
			if sy != lastY {
				readRow(src, b.Min.Y+sy, row, grey)
				sumAcross(row, cols, across, ch)
				lastY = sy
			}
			for i, v := range across {
				acc[i] += v * wy
			}
		}
		put(pix[y*stride:], acc, total, grey)
	}
	return out
}

// span is the source pixels under one output pixel and how much of each.
type span struct {
	first   int
	weights []uint64
}

// spans maps n source pixels onto m output pixels (m ≤ n) in units where a
// source pixel is m long and an output pixel n long.
func spans(n, m int) []span {
	out := make([]span, m)
	for d := range out {
		lo, hi := d*n, (d+1)*n
		s := span{first: lo / m}
		for p := s.first; p*m < hi; p++ {
			s.weights = append(s.weights, uint64(min(hi, (p+1)*m)-max(lo, p*m)))
		}
		out[d] = s
	}
	return out
}

func sumAcross(row []uint32, cols []span, across []uint64, ch int) {
	if ch == 1 {
		for x, c := range cols {
			var s uint64
			for k, wx := range c.weights {
				s += uint64(row[c.first+k]) * wx
			}
			across[x] = s
		}
		return
	}
	for x, c := range cols {
		var r, g, b, a uint64
		p := row[c.first*4:]
		for k, wx := range c.weights {
			q := p[k*4 : k*4+4]
			r += uint64(q[0]) * wx
			g += uint64(q[1]) * wx
			b += uint64(q[2]) * wx
			a += uint64(q[3]) * wx
		}
		across[x*4], across[x*4+1], across[x*4+2], across[x*4+3] = r, g, b, a
	}
}

// put writes one output row from its sums: rounded means, then 8 bits
// (the top byte, as Go's colour models convert), colour unpremultiplied.
func put(dst []uint8, acc []uint64, total uint64, grey bool) {
	mean := func(v uint64) uint32 { return uint32((v + total/2) / total) }
	if grey {
		for x, v := range acc {
			dst[x] = uint8(mean(v) >> 8)
		}
		return
	}
	for x := 0; x < len(acc); x += 4 {
		r, g, b, a := mean(acc[x]), mean(acc[x+1]), mean(acc[x+2]), mean(acc[x+3])
		if a == 0 {
			dst[x], dst[x+1], dst[x+2], dst[x+3] = 0, 0, 0, 0
			continue
		}
		if a < 0xffff {
			r, g, b = min(r*0xffff/a, 0xffff), min(g*0xffff/a, 0xffff), min(b*0xffff/a, 0xffff)
		}
		dst[x], dst[x+1], dst[x+2], dst[x+3] = uint8(r>>8), uint8(g>>8), uint8(b>>8), uint8(a>>8)
	}
}

// readRow reads source row y as 16-bit premultiplied RGBA (or grey), with
// direct paths for the decoders' common image types.
func readRow(src image.Image, y int, row []uint32, grey bool) {
	b := src.Bounds()
	switch img := src.(type) {
	case *image.YCbCr:
		if !grey {
			for x := range b.Dx() {
				yi, ci := img.YOffset(b.Min.X+x, y), img.COffset(b.Min.X+x, y)
				r, g, bl := color.YCbCrToRGB(img.Y[yi], img.Cb[ci], img.Cr[ci])
				row[x*4], row[x*4+1], row[x*4+2], row[x*4+3] = uint32(r)*0x101, uint32(g)*0x101, uint32(bl)*0x101, 0xffff
			}
			return
		}
	case *image.Gray:
		p := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			v := uint32(p[x]) * 0x101
			if grey {
				row[x] = v
			} else {
				row[x*4], row[x*4+1], row[x*4+2], row[x*4+3] = v, v, v, 0xffff
			}
		}
		return
	case *image.NRGBA:
		if !grey {
			p := img.Pix[img.PixOffset(b.Min.X, y):]
			for x := range b.Dx() {
				a := uint32(p[x*4+3])
				for j := range 3 {
					row[x*4+j] = uint32(p[x*4+j]) * 0x101 * a / 0xff
				}
				row[x*4+3] = a * 0x101
			}
			return
		}
	case *image.RGBA:
		if !grey {
			p := img.Pix[img.PixOffset(b.Min.X, y):]
			for x := range b.Dx() * 4 {
				row[x] = uint32(p[x]) * 0x101
			}
			return
		}
	}
	if img, ok := src.(image.RGBA64Image); ok { // every image type the decoders make
		for x := range b.Dx() {
			c := img.RGBA64At(b.Min.X+x, y)
			if grey {
				row[x] = uint32(c.R)
			} else {
				row[x*4], row[x*4+1], row[x*4+2], row[x*4+3] = uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
			}
		}
		return
	}
	for x := range b.Dx() {
		r, g, bl, a := src.At(b.Min.X+x, y).RGBA()
		if grey {
			row[x] = r
		} else {
			row[x*4], row[x*4+1], row[x*4+2], row[x*4+3] = r, g, bl, a
		}
	}
}

// orient turns an image stored with EXIF orientation o (1–8) upright.
// Orientations 5–8 swap width and height.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	var pix []uint8
	var stride, bpp int
	switch m := img.(type) {
	case *image.Gray:
		pix, stride, bpp = m.Pix, m.Stride, 1
	case *image.NRGBA:
		pix, stride, bpp = m.Pix, m.Stride, 4
	default:
		return img // shrink makes only these two
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := make([]uint8, ow*oh*bpp)
	for y := range oh {
		for x := range ow {
			sx, sy := storedAt(o, x, y, w, h)
			copy(out[(y*ow+x)*bpp:(y*ow+x+1)*bpp], pix[sy*stride+sx*bpp:])
		}
	}
	r := image.Rect(0, 0, ow, oh)
	if bpp == 1 {
		return &image.Gray{Pix: out, Stride: ow, Rect: r}
	}
	return &image.NRGBA{Pix: out, Stride: ow * 4, Rect: r}
}

// storedAt is the stored pixel shown at (x, y) of the upright picture, for
// a stored image w×h with EXIF orientation o.
func storedAt(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored
		return w - 1 - x, y
	case 3: // upside down
		return w - 1 - x, h - 1 - y
	case 4: // mirrored upside down
		return x, h - 1 - y
	case 5: // mirrored across the main diagonal
		return y, x
	case 6: // stored a quarter turn anticlockwise
		return y, h - 1 - x
	case 7: // mirrored across the other diagonal
		return w - 1 - y, h - 1 - x
	case 8: // stored a quarter turn clockwise
		return w - 1 - y, x
	}
	return x, y
}
