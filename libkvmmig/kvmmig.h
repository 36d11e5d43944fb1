/* kvmmig.h: the one header to include for libkvmmig.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define KVMMIG_INSIDE

#include "kvmmig-version-macros.h"
#include "kvmmig-version.h"
#include "kvmmig-types.h"
#include "kvmmig-enum-types.h"
#include "kvmmig-error.h"
#include "kvmmig-process.h"
#include "kvmmig-auth-request.h"
#include "kvmmig-guest.h"
#include "kvmmig-host-info.h"
#include "kvmmig-host.h"
#include "kvmmig-check.h"
#include "kvmmig-policy-step.h"
#include "kvmmig-migration-job.h"
#include "kvmmig-evacuation.h"
#include "kvmmig-volume.h"
#include "kvmmig-store-visibility.h"
#include "kvmmig-shared-store.h"
#include "kvmmig-guest-spec.h"

#undef KVMMIG_INSIDE
