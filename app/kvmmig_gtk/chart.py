# chart.py: the live chart of a migration: the data left to copy and the
# guest's dirty rate over time, drawn with cairo on a Gtk.DrawingArea in the
# theme's colours (the accent and warning colours of the style, redrawn
# when Adw.StyleManager switches between light and dark).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

from gi.repository import Adw, Gdk, Gtk


def _mib(n):
    return n / (1024 * 1024)


class MigrationChart(Gtk.DrawingArea):
    __gtype_name__ = 'KvmmigMigrationChart'

    MAX_POINTS = 600   # 2.5 minutes at 4 updates a second

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.set_content_height(160)
        self.set_hexpand(True)
        self.points = []          # (seconds, remaining MiB, dirty MiB/s)
        self.set_draw_func(self._draw)
        self.update_property([Gtk.AccessibleProperty.LABEL],
                             ['Chart of remaining data and dirty rate'])
        Adw.StyleManager.get_default().connect('notify::dark', lambda *a: self.queue_draw())

    def clear(self):
        self.points = []
        self.queue_draw()

    def add(self, seconds, remaining_bytes, dirty_bytes_per_s):
        self.points.append((seconds, _mib(remaining_bytes), _mib(dirty_bytes_per_s)))
        del self.points[:-self.MAX_POINTS]
        self.queue_draw()

    def _color(self, name, fallback):
        ok, rgba = self.get_style_context().lookup_color(name)
        return rgba if ok else fallback

    def _draw(self, _area, cr, width, height):
        ctx = self.get_style_context()
        fg = ctx.get_color()
        remaining_c = self._color('accent_color', fg)
        dirty_c = self._color('warning_color', fg)
        pad_l, pad_b, pad_t = 8, 18, 18

        def set_rgba(c, alpha=1.0):
            cr.set_source_rgba(c.red, c.green, c.blue, c.alpha * alpha)

        # Axes, in the text colour, faint.
        set_rgba(fg, 0.3)
        cr.set_line_width(1)
        cr.move_to(pad_l, pad_t)
        cr.line_to(pad_l, height - pad_b)
        cr.line_to(width - 4, height - pad_b)
        cr.stroke()

        # Each line has its own scale: the legend says what the top is.
        top_r = max((p[1] for p in self.points), default=0) or 1
        top_d = max((p[2] for p in self.points), default=0) or 1
        cr.set_font_size(11)
        x = pad_l + 4
        for color, words in ((remaining_c, 'Remaining (top %.0f MiB)' % top_r),
                             (dirty_c, 'Dirty rate (top %.0f MiB/s)' % top_d)):
            set_rgba(color)
            cr.move_to(x, 12)
            cr.show_text(words)
            x += cr.text_extents(words).x_advance + 24

        if len(self.points) < 2:
            return
        t0, t1 = self.points[0][0], self.points[-1][0]
        span = max(t1 - t0, 1e-3)
        w, h = width - pad_l - 6, height - pad_b - pad_t

        set_rgba(fg, 0.6)
        cr.move_to(width - 90, height - 4)
        cr.show_text('%.0f s' % span)

        for idx, color, top in ((1, remaining_c, top_r), (2, dirty_c, top_d)):
            set_rgba(color)
            cr.set_line_width(2)
            for i, p in enumerate(self.points):
                x = pad_l + (p[0] - t0) / span * w
                y = pad_t + h - p[idx] / top * h
                if i == 0:
                    cr.move_to(x, y)
                else:
                    cr.line_to(x, y)
            cr.stroke()
