/* Kernel log: printf-style messages to the console and the log ring. */
#ifndef FRAME_LOG_H
#define FRAME_LOG_H

#include <frame/types.h>
#include <stdarg.h>

enum log_level { LOG_ERR = 3, LOG_WARN = 4, LOG_INFO = 6, LOG_DEBUG = 7 };

void klog(enum log_level level, const char *fmt, ...) __printf(2, 3);
void kvlog(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...) klog(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) klog(LOG_WARN, __VA_ARGS__)
#define pr_info(...) klog(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

/* The log ring behind dmesg: the newest log_ring_size() bytes of console
 * output. Positions count bytes written since boot. */
size_t log_ring_size(void);
uint64_t log_ring_head(void);
/* Copies bytes from position *pos on (raised to the oldest still kept)
 * into buf, at most size; advances *pos; returns the bytes copied. */
size_t log_ring_read(uint64_t *pos, char *buf, size_t size);

/* Formatting into a buffer; returns the length the full output would have. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
