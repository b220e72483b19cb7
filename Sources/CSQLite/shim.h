#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: one typed wrapper per
// setting we use.

/// Stops SQLite counting its memory use, which takes a global mutex on every
/// allocation. Only valid before the library initialises (the first open).
static inline int sqlite_shim_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
