# screenshot.py: a window as it is drawn, saved as a PNG (the hidden
# --screenshot-dir option and the app.screenshot action, for the docs'
# images and the AT-SPI test). GTK renders it: Gtk.WidgetPaintable, then
# the window's Gsk renderer. The render node goes through ctypes, as
# PyGObject 3.42 cannot hold a GskRenderNode.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import ctypes

_gtk = ctypes.CDLL('libgtk-4.so.1')
_gobject = ctypes.CDLL('libgobject-2.0.so.0')
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]

for name, restype, argtypes in (
        ('gtk_widget_paintable_new', ctypes.c_void_p, [ctypes.c_void_p]),
        ('gtk_snapshot_new', ctypes.c_void_p, []),
        ('gdk_paintable_snapshot', None,
         [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_double, ctypes.c_double]),
        ('gtk_snapshot_free_to_node', ctypes.c_void_p, [ctypes.c_void_p]),
        ('gsk_renderer_render_texture', ctypes.c_void_p,
         [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]),
        ('gdk_texture_save_to_png', ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
        ('gsk_render_node_unref', None, [ctypes.c_void_p])):
    fn = getattr(_gtk, name)
    fn.restype, fn.argtypes = restype, argtypes
_gobject.g_object_unref.argtypes = [ctypes.c_void_p]


def _pointer(obj):
    return _capsule_pointer(obj.__gpointer__, None)


def save_png(widget, path):
    """Draws widget (a window) into a PNG at path; True if saved."""
    width, height = widget.get_width(), widget.get_height()
    renderer = widget.get_native().get_renderer()
    if not width or not height or renderer is None:
        return False
    paintable = _gtk.gtk_widget_paintable_new(_pointer(widget))
    snapshot = _gtk.gtk_snapshot_new()
    _gtk.gdk_paintable_snapshot(paintable, snapshot, width, height)
    node = _gtk.gtk_snapshot_free_to_node(snapshot)
    _gobject.g_object_unref(paintable)
    if not node:
        return False
    texture = _gtk.gsk_renderer_render_texture(_pointer(renderer), node, None)
    _gtk.gsk_render_node_unref(node)
    ok = bool(texture) and bool(_gtk.gdk_texture_save_to_png(texture, path.encode()))
    if texture:
        _gobject.g_object_unref(texture)
    return ok
