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

/* Formatting into a buffer; returns the length the full output would have. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
