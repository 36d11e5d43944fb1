/* kvmmig-process.c: what libkvmmig does to the process (see
 * kvmmig-process.h); the work is in base/kvmmig-libvirt.c and
 * base/kvmmig-event-loop.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-event-loop-private.h"
#include "kvmmig-libvirt-private.h"
#include "kvmmig-process.h"

/**
 * kvmmig_event_loop_get_owner:
 *
 * Initialises libvirt for libkvmmig, if that was not done yet (creating
 * the first [class@Kvmmig.Host] does it too), and tells who runs libvirt's
 * event loop in this process.
 *
 * libvirt has one event loop implementation per process, and ignores
 * every registration after the first. libkvmmig looks when it initialises
 * libvirt:
 *
 * - if the application has registered one already (libvirt-glib's
 *   `gvir_event_register()`, libvirt-python's `virEventRegisterDefaultImpl()`
 *   or `virEventRegisterImpl()`), libkvmmig uses it: the application must
 *   keep iterating it (a GTK or GLib main loop does, for libvirt-glib's and
 *   libvirt's default implementations, which live on the global default
 *   main context), and should use the asynchronous calls from that loop's
 *   thread; libkvmmig leaves libvirt's process-wide error handler as the
 *   application set it and silences only the connections it opens;
 * - else libkvmmig registers its own, run by a thread of the library on a
 *   private main context (so that blocking calls and scripts without a
 *   main loop work), and silences libvirt's process-wide error printing:
 *   errors reach callers as `GError`s. An application that registers an
 *   implementation later is ignored by libvirt (with a warning on
 *   stderr); its own connections' events are then dispatched from
 *   libkvmmig's thread, so it must not wait for them on its own loop.
 *
 * To choose: register your implementation before creating the first
 * host, and call this to check that it is used.
 *
 * Returns: who runs libvirt's event loop
 *
 * Since: 0.2
 */
KvmmigEventLoopOwner
kvmmig_event_loop_get_owner (void)
{
  _kvmmig_libvirt_init ();
  return _kvmmig_event_loop_get_owner ();
}
