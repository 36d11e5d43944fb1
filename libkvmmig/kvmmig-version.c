/* kvmmig-version.c: the version of the library loaded at run time.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "kvmmig-version.h"

/**
 * kvmmig_get_major_version:
 *
 * Gets the major version of the libkvmmig loaded at run time, which may
 * differ from [const@Kvmmig.MAJOR_VERSION] that the program was built with.
 *
 * Returns: the major version
 *
 * Since: 0.1
 */
guint
kvmmig_get_major_version (void)
{
  return KVMMIG_MAJOR_VERSION;
}

/**
 * kvmmig_get_minor_version:
 *
 * Gets the minor version of the libkvmmig loaded at run time.
 *
 * Returns: the minor version
 *
 * Since: 0.1
 */
guint
kvmmig_get_minor_version (void)
{
  return KVMMIG_MINOR_VERSION;
}

/**
 * kvmmig_get_micro_version:
 *
 * Gets the micro version of the libkvmmig loaded at run time.
 *
 * Returns: the micro version
 *
 * Since: 0.1
 */
guint
kvmmig_get_micro_version (void)
{
  return KVMMIG_MICRO_VERSION;
}
