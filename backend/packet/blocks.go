package packet

// Blocks built on the layout: headings, label/value rows and tables, all
// flowing across pages without clipping.

var (
	stTitle = style{bold: true, size: 22, color: ink}
	stH1    = style{bold: true, size: 15, color: accent}
	stH2    = style{bold: true, size: 11.5, color: ink}
	stBody  = style{size: 10, color: ink}
	stLabel = style{size: 9, color: muted}
	stSmall = style{size: 8, color: muted}
	stCell  = style{size: 8.5, color: ink}
	stHead  = style{bold: true, size: 8.5, color: ink}
	stTiny  = style{size: 7, color: muted}
)

// heading starts a section; it is kept with at least minAfter millimetres
// of what follows, and becomes an outline entry of the PDF.
func (l *layout) heading(s string, st style, level int, minAfter float64) (pageIdx int, top float64) {
	l.need(st.leading() + 4 + minAfter)
	if l.y > marginT+1 {
		l.y += 3
	}
	top = l.y
	l.add(op{kind: opBookmark, y: l.y, text: s, level: level})
	l.para(s, st, marginX, bodyW)
	if level == 0 {
		l.hline(marginX, l.y+0.5, bodyW, rule)
		l.y += 3
	} else {
		l.y += 1
	}
	return l.pageIndex(), top
}

// column is one column of a grid: a share of the width, the style of its
// cells and optionally a header.
type column struct {
	title  string
	weight float64
	st     style
}

const cellPad = 1.6

// grid draws rows of wrapped cells. A row that does not fit moves to the
// next page; a row taller than a page is split line by line; the header
// (if the columns have titles) repeats at the top of every page. A row may
// have a detail line set across the whole width under its cells.
func (l *layout) grid(cols []column, rows [][]string, x, width float64) {
	l.gridDetails(cols, rows, nil, x, width)
}

func (l *layout) gridDetails(cols []column, rows [][]string, details []string, x, width float64) {
	total := 0.0
	for _, c := range cols {
		total += c.weight
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = width * c.weight / total
	}
	header := cols[0].title != ""
	drawHeader := func() {
		if !header {
			return
		}
		cells := make([][]line, len(cols))
		h := 0.0
		for i, c := range cols {
			cells[i] = l.wrap(c.title, stHead, widths[i]-2*cellPad)
			h = max(h, float64(len(cells[i]))*stHead.leading())
		}
		h += 2 * cellPad
		l.rect(x, l.y, width, h, shade)
		cx := x
		for i := range cols {
			for j, ln := range cells[i] {
				l.drawLine(ln, cx+cellPad, stHead.baseline(l.y+cellPad+float64(j)*stHead.leading()), stHead)
			}
			cx += widths[i]
		}
		l.y += h
	}
	l.need(20)
	drawHeader()
	for ri, row := range rows {
		cells := make([][]line, len(cols))
		n := 0
		h := 0.0
		for i, c := range cols {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			cells[i] = l.wrap(v, c.st, widths[i]-2*cellPad)
			n = max(n, len(cells[i]))
			h = max(h, float64(len(cells[i]))*c.st.leading())
		}
		h += 2 * cellPad
		var detail []line
		if ri < len(details) && details[ri] != "" {
			detail = l.wrap(details[ri], stTiny, width-2*cellPad-widths[0])
			h += float64(len(detail)) * stTiny.leading()
		}
		room := pageH - marginB - l.y
		if h > room && h <= pageH-marginB-marginT-12 {
			l.newPage()
			drawHeader()
		}
		// Draw line by line so that a row taller than a page flows on.
		lead := 0.0
		for _, c := range cols {
			lead = max(lead, c.st.leading())
		}
		l.y += cellPad
		for j := range n {
			if l.y+lead > pageH-marginB {
				l.newPage()
				drawHeader()
				l.y += cellPad
			}
			cx := x
			for i, c := range cols {
				if j < len(cells[i]) {
					l.drawLine(cells[i][j], cx+cellPad, c.st.baseline(l.y), c.st)
				}
				cx += widths[i]
			}
			l.y += lead
		}
		for _, ln := range detail {
			if l.y+stTiny.leading() > pageH-marginB {
				l.newPage()
				drawHeader()
			}
			l.drawLine(ln, x+widths[0]+cellPad, stTiny.baseline(l.y), stTiny)
			l.y += stTiny.leading()
		}
		l.y += cellPad
		l.hline(x, l.y, width, rule)
	}
	l.y += 2
}

// pairs draws label/value rows.
func (l *layout) pairs(rows [][2]string) {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r[0], r[1]}
	}
	l.grid([]column{{weight: 0.36, st: stLabel}, {weight: 0.64, st: stBody}}, out, marginX, bodyW)
}
