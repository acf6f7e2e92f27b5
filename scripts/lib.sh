# Shared shell helpers for scripts/: paths, kernel names, messages.
# Sourced, never run.

BRIG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Downloads and unpacked kernels live outside the tree so clean clones reuse them.
BRIG_CACHE=${BRIG_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/brig}
# shared/ sits beside the checkout (CI lays a copy there too).
BRIG_SHARED=${BRIG_SHARED:-$BRIG_ROOT/../shared}
BRIG_BUILD=${BRIG_BUILD:-$BRIG_ROOT/build}

die() { echo "${0##*/}: $*" >&2; exit 1; }
say() { echo "${0##*/}: $*" >&2; }

# The kernels brig is tested on; `debug` is the one in shared/kernels.
brig_known_kernel() {
	case "$1" in 6.1|6.12|debug) return 0 ;; esac
	return 1
}

# Where scripts/kernels puts kernel K: vmlinuz, release, kdir, modules/.
brig_kernel_dir() { echo "$BRIG_CACHE/kernels/$1"; }
