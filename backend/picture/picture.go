// Package picture turns an uploaded PNG or JPEG, exactly as stored, into
// the rendition the packet prints: decoded whole by Go's own decoders,
// turned upright from its EXIF orientation, scaled down to print
// resolution, and written again as an 8-bit, non-interlaced image that
// every PDF reader takes (the PDF library refuses 16-bit and interlaced
// PNGs). The original stays the document; the rendition is only how it is
// drawn. Render is a pure function of the bytes (integer arithmetic only),
// so a packet redrawn from its archive on another machine comes out the
// same, byte for byte.
package picture

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// MIME types of originals and renditions.
const (
	PNG  = "image/png"
	JPEG = "image/jpeg"
)

// Limits on what is decoded at all: a 10 MB file can claim any size, and
// decoding allocates for the size it claims.
const (
	MaxPixels       = 50_000_000
	maxDecodedBytes = 320 << 20
)

// How renditions are written.
const (
	jpegQuality = 90
	// An opaque PNG whose lossless rendition would be larger than this is
	// a photo saved as PNG: it is printed as a JPEG instead.
	maxLosslessBytes = 512 << 10
)

// ErrUnreadable means the bytes are not a PNG or JPEG that Go's decoders
// read whole: damaged, cut short, or an encoding they do not support
// (12-bit or arithmetic-coded JPEG, CMYK without its Adobe marker).
var ErrUnreadable = errors.New("the image cannot be read")

// TooLargeError is an image over the decoding limits.
type TooLargeError struct{ Width, Height int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the image is %d × %d pixels, too large to decode", e.Width, e.Height)
}

// Box bounds a rendition, in pixels: the largest size it is printed at,
// times the print resolution.
type Box struct{ W, H int }

// Rendition is the image handed to the PDF and the preview.
type Rendition struct {
	Data          []byte
	Type          string // PNG or JPEG
	Width, Height int    // upright, in pixels
}

// source is a decoded original.
type source struct {
	img         image.Image
	format      string // PNG or JPEG
	orientation int
	progressive bool
}

// Check decodes the image whole, as Render would, and reports why it
// cannot be printed: ErrUnreadable or a *TooLargeError.
func Check(data []byte) error {
	_, err := decode(data)
	return err
}

// Render makes the printable rendition of a PNG or JPEG, upright and no
// larger than box. A baseline JPEG that is already upright and small enough
// is used as it is (no second compression); everything else is drawn
// again.
func Render(data []byte, box Box) (Rendition, error) {
	src, err := decode(data)
	if err != nil {
		return Rendition{}, err
	}
	b := src.img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	turned := src.orientation >= 5 // these swap width and height
	uw, uh := sw, sh
	if turned {
		uw, uh = sh, sw
	}
	dw, dh := fit(uw, uh, box)
	if src.format == JPEG && src.orientation == 1 && !src.progressive && dw == uw && dh == uh {
		if m := src.img.ColorModel(); m == color.YCbCrModel || m == color.GrayModel {
			return Rendition{Data: data, Type: JPEG, Width: uw, Height: uh}, nil
		}
	}
	if p, ok := src.img.(*image.Paletted); ok && dw == uw && dh == uh && maskable(p.Palette) {
		return encodePNG(p)
	}
	img := eightBit(src.img)
	if img == nil || dw != uw || dh != uh || src.orientation != 1 {
		if turned {
			dw, dh = dh, dw
		}
		img = orient(shrink(src.img, dw, dh, isGrey(src.img.ColorModel())), src.orientation)
	}
	if src.format == JPEG {
		return encodeJPEG(img)
	}
	r, err := encodePNG(img)
	if err != nil || len(r.Data) <= maxLosslessBytes || !opaque(img) {
		return r, err
	}
	return encodeJPEG(img)
}

// eightBit is img if it is already 8 bits a channel, in a form both
// encoders write directly; else nil.
func eightBit(img image.Image) image.Image {
	switch img.(type) {
	case *image.Gray, *image.NRGBA, *image.RGBA:
		return img
	}
	return nil
}

// fit scales w×h down (never up) to fit box, keeping the aspect ratio.
func fit(w, h int, box Box) (int, int) {
	if box.W <= 0 || box.H <= 0 || (w <= box.W && h <= box.H) {
		return w, h
	}
	if w*box.H >= h*box.W { // the width decides
		return box.W, max(1, (h*box.W+w/2)/w)
	}
	return max(1, (w*box.H+h/2)/h), box.H
}

func decode(data []byte) (source, error) {
	var s source
	var dec func([]byte) (image.Image, error)
	var cfg image.Config
	var err error
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		s.format, s.orientation = PNG, 1
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
		dec = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, []byte("\xff\xd8")):
		h := scanJPEG(data)
		s.format, s.orientation, s.progressive = JPEG, h.orientation, h.progressive
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
		dec = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	default:
		return s, ErrUnreadable
	}
	if err != nil {
		return s, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return s, ErrUnreadable
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > MaxPixels || px*decodedBytesPerPixel(cfg.ColorModel, s.progressive) > maxDecodedBytes {
		return s, &TooLargeError{cfg.Width, cfg.Height}
	}
	if s.img, err = dec(data); err != nil {
		return s, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	return s, nil
}

// decodedBytesPerPixel bounds what a decoder holds per pixel: the image,
// and for a progressive JPEG also its DCT coefficients (4 bytes each).
func decodedBytesPerPixel(m color.Model, progressive bool) int64 {
	var n int64
	switch m {
	case color.GrayModel:
		n = 1
	case color.Gray16Model:
		n = 2
	case color.YCbCrModel:
		n = 3
	case color.CMYKModel, color.RGBAModel, color.NRGBAModel:
		n = 4
	default:
		if _, ok := m.(color.Palette); ok {
			n = 1
		} else {
			n = 8
		}
	}
	if progressive {
		n *= 5
	}
	return n
}

func isGrey(m color.Model) bool { return m == color.GrayModel || m == color.Gray16Model }

// maskable reports whether the PDF library draws a palette PNG right: it
// honours one fully transparent entry and no partial transparency.
func maskable(p color.Palette) bool {
	clear := 0
	for _, c := range p {
		switch _, _, _, a := c.RGBA(); a {
		case 0xffff:
		case 0:
			clear++
		default:
			return false
		}
	}
	return clear <= 1
}

// opaque reports whether a drawn rendition has no transparency to lose.
func opaque(img image.Image) bool {
	o, ok := img.(interface{ Opaque() bool })
	return ok && o.Opaque()
}

func encodePNG(img image.Image) (Rendition, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Rendition{}, fmt.Errorf("write the PNG rendition: %w", err)
	}
	b := img.Bounds()
	return Rendition{Data: buf.Bytes(), Type: PNG, Width: b.Dx(), Height: b.Dy()}, nil
}

func encodeJPEG(img image.Image) (Rendition, error) {
	if n, ok := img.(*image.NRGBA); ok && n.Opaque() {
		// The same bytes read as premultiplied RGBA, which the encoder
		// converts fastest. A JPEG has no alpha; a JPEG original is
		// always opaque.
		img = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return Rendition{}, fmt.Errorf("write the JPEG rendition: %w", err)
	}
	b := img.Bounds()
	return Rendition{Data: buf.Bytes(), Type: JPEG, Width: b.Dx(), Height: b.Dy()}, nil
}
