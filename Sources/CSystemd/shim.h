#ifndef PORTDAILY_CSYSTEMD_SHIM_H
#define PORTDAILY_CSYSTEMD_SHIM_H
/* libsystemd's daemon and journal APIs (libsystemd-dev). sd_journal_send is variadic and
   cannot be called from Swift; sd_journal_sendv with an iovec array is used instead. */
#include <sys/uio.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#endif
