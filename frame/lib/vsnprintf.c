/* printf-style formatting: %d %i %u %x %X %o %p %s %c %%, with flags '-' '0'
 * '#', width, precision for strings, and the l/ll/z/h length modifiers. */
#include <frame/log.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

struct number_style {
	unsigned base;
	bool upper;
	bool alternate; /* '#': 0x/0X before a nonzero hex value, a leading 0 in octal */
};

static void put_number(struct out *o, unsigned long long v, bool negative,
		       struct number_style st, int width, bool left, char pad)
{
	const char *digits = st.upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char prefix[3] = { 0 };
	char tmp[26];
	int n = 0;

	if (negative)
		prefix[0] = '-';
	else if (st.alternate && st.base == 16 && v)
		prefix[0] = '0', prefix[1] = st.upper ? 'X' : 'x';
	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % st.base];
		v /= st.base;
	} while (v);
	if (st.alternate && st.base == 8 && tmp[sizeof(tmp) - n] != '0')
		tmp[sizeof(tmp) - 1 - n++] = '0';
	/* Zero padding goes between the sign or 0x and the digits. */
	if (pad == '0') {
		for (const char *p = prefix; *p; p++, width--)
			put(o, *p);
	} else {
		for (int i = (int)strlen(prefix); i-- > 0;)
			tmp[sizeof(tmp) - 1 - n++] = prefix[i];
	}
	put_padded(o, tmp + sizeof(tmp) - n, (size_t)n, width, left, pad);
}

static unsigned long long fetch_unsigned(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long fetch_signed(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		bool left = false, alternate = false;
		char pad = ' ';
		int width = 0, prec = -1, lng = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++; *fmt == '-' || *fmt == '0' || *fmt == '#'; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '#')
				alternate = true;
			else
				pad = '0';
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			prec = 0;
			if (*++fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				prec = prec * 10 + (*fmt - '0');
		}
		for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
			lng += (*fmt == 'h') ? 0 : 1;
		if (left)
			pad = ' ';

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = fetch_signed(&ap, lng);
			unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
						       : (unsigned long long)v;
			put_number(&o, mag, v < 0, (struct number_style){ 10, false, false }, width,
				   left, pad);
			break;
		}
		case 'u':
			put_number(&o, fetch_unsigned(&ap, lng), false,
				   (struct number_style){ 10, false, false }, width, left, pad);
			break;
		case 'x':
		case 'X':
			put_number(&o, fetch_unsigned(&ap, lng), false,
				   (struct number_style){ 16, *fmt == 'X', alternate }, width, left, pad);
			break;
		case 'o':
			put_number(&o, fetch_unsigned(&ap, lng), false,
				   (struct number_style){ 8, false, alternate }, width, left, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), false,
				   (struct number_style){ 16, false, false }, 16, false, '0');
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			put_padded(&o, s, prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s), width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default: /* unknown conversion: show it rather than guess */
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
