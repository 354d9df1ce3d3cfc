/* N_TTY input: what each byte from the device does (input flags, signal
 * characters, canonical editing, echo), and output processing. Linux's
 * drivers/tty/n_tty.c is the reference for every choice here. */
#include "proc/signal.h"
#include "tty/tty.h"

#define L(t, flag) (((t)->termios.c_lflag & (flag)) != 0)
#define I(t, flag) (((t)->termios.c_iflag & (flag)) != 0)

static bool is_cc(const struct tty *t, uint8_t c, int index)
{
	uint8_t v = t->termios.c_cc[index];
	return v != VDISABLE && c == v;
}

static bool is_ctrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}


/* Where the cursor goes after c (with OPOST), as n_tty's do_output_char. */
static void track_column(struct tty *t, char c)
{
	if (c == '\n' || c == '\r')
		t->column = 0;
	else if (c == '\t')
		t->column = (t->column | 7) + 1;
	else if (c == '\b')
		t->column -= t->column > 0;
	else if (!is_ctrl((uint8_t)c) && ((uint8_t)c & 0xc0) != 0x80)
		t->column++;
}

void tty_output(struct tty *t, const char *buf, size_t len)
{
	char out[128];
	size_t n = 0;

	if (!(t->termios.c_oflag & OPOST)) {
		t->driver->output(t, buf, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (n + 2 > sizeof(out)) {
			t->driver->output(t, out, n);
			n = 0;
		}
		if (c == '\n' && (t->termios.c_oflag & ONLCR))
			out[n++] = '\r';
		else if (c == '\r' && (t->termios.c_oflag & OCRNL))
			c = '\n';
		track_column(t, c);
		out[n++] = c;
	}
	if (n)
		t->driver->output(t, out, n);
}

/* Echo of one input byte: control characters as ^X with ECHOCTL. */
static void echo_char(struct tty *t, uint8_t c)
{
	char s[2] = { '^', (char)(c ^ 0100) };

	if (L(t, ECHOCTL) && is_ctrl(c) && c != '\t' && c != '\n')
		tty_output(t, s, 2);
	else
		tty_output(t, (const char *)&c, 1);
}

static size_t room(const struct tty *t)
{
	return TTY_BUF - (t->head - t->tail);
}

static void put(struct tty *t, uint8_t c, bool delim)
{
	unsigned i = t->head % TTY_BUF;

	t->buf[i] = c;
	if (delim)
		t->delim[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		t->delim[i / 8] &= (uint8_t)~(1u << (i % 8));
	t->head++;
}

/* A line is complete: readers may take it. */
static void end_line(struct tty *t, uint8_t c)
{
	if (!room(t))
		return; /* unread lines fill the buffer: the line end is lost too */
	put(t, c, true);
	t->canon_head = t->head;
	tty_wake(t);
}

/* VINTR, VQUIT, VSUSP: signal the foreground group, flush unless NOFLSH. */
static void signal_char(struct tty *t, uint8_t c, int sig)
{
	if (!L(t, NOFLSH))
		tty_flush_input(t);
	if (L(t, ECHO))
		echo_char(t, c);
	if (t->session && t->pgrp)
		signal_send_pgrp(t->pgrp, sig);
}

/* The screen columns the byte at the end of the line took when echoed. */
static unsigned echo_width(const struct tty *t, uint8_t c)
{
	return L(t, ECHOCTL) && is_ctrl(c) && c != '\t' ? 2 : 1;
}

/* A tab is erased by backing up to where the text before it ended: the
 * columns of what precedes it on the line (from its start, or from an
 * earlier tab), as n_tty's echo_erase_tab. */
static void rub_out_tab(struct tty *t)
{
	unsigned chars = 0, bs;
	bool after_tab = false;

	for (unsigned pos = t->head; pos != t->canon_head;) {
		uint8_t c = t->buf[--pos % TTY_BUF];
		if (c == '\t') {
			after_tab = true;
			break;
		}
		if (is_ctrl(c))
			chars += L(t, ECHOCTL) ? 2 : 0;
		else if ((c & 0xc0) != 0x80)
			chars++;
	}
	if (!after_tab)
		chars += t->canon_column;
	bs = MIN(8 - (chars & 7), t->column);
	while (bs--)
		tty_output(t, "\b", 1);
}

/* c has just left the line: take its echo off the screen. */
static void rub_out(struct tty *t, uint8_t c)
{
	static const char bs[] = "\b \b";

	if (!L(t, ECHO))
		return;
	if (!L(t, ECHOE)) {
		echo_char(t, t->termios.c_cc[VERASE]);
		return;
	}
	if (c == '\t') {
		rub_out_tab(t);
		return;
	}
	for (unsigned w = echo_width(t, c); w; w--)
		tty_output(t, bs, 3);
}

static bool word_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* VERASE, VWERASE and VKILL on the line being edited. */
static void erase(struct tty *t, enum erase_kind kind)
{
	bool seen_word = false;

	if (t->head == t->canon_head)
		return;
	if (kind == ERASE_LINE && !(L(t, ECHO) && L(t, ECHOK) && L(t, ECHOE) && L(t, ECHOKE))) {
		t->head = t->canon_head;
		if (L(t, ECHO)) {
			echo_char(t, t->termios.c_cc[VKILL]);
			if (L(t, ECHOK))
				tty_output(t, "\n", 1);
		}
		return;
	}
	while (t->head != t->canon_head) {
		uint8_t c = t->buf[(t->head - 1) % TTY_BUF];
		if (kind == ERASE_WORD) {
			if (word_char(c))
				seen_word = true;
			else if (seen_word)
				break;
		}
		t->head--;
		rub_out(t, c);
		if (kind == ERASE_CHAR)
			break;
	}
}

/* Canonical-mode special characters; false if c is an ordinary byte. */
static bool canon_special(struct tty *t, uint8_t c)
{
	if (is_cc(t, c, VERASE)) {
		erase(t, ERASE_CHAR);
	} else if (is_cc(t, c, VKILL)) {
		erase(t, ERASE_LINE);
	} else if (L(t, IEXTEN) && is_cc(t, c, VWERASE)) {
		erase(t, ERASE_WORD);
	} else if (is_cc(t, c, VEOF)) {
		end_line(t, VDISABLE); /* a marker read drops: the line ends unechoed */
	} else if (c == '\n' || is_cc(t, c, VEOL) || (L(t, IEXTEN) && is_cc(t, c, VEOL2))) {
		if (L(t, ECHO) || (c == '\n' && L(t, ECHONL)))
			echo_char(t, c);
		end_line(t, c);
	} else {
		return false;
	}
	return true;
}

/* One byte after the input flags. false: no room (non-canonical mode). */
static bool receive_char(struct tty *t, uint8_t c)
{
	bool canon = L(t, ICANON);

	if (t->lnext) {
		t->lnext = false;
	} else {
		if (L(t, ISIG)) {
			int sig = is_cc(t, c, VINTR) ? SIGINT : is_cc(t, c, VQUIT) ? SIGQUIT :
				  is_cc(t, c, VSUSP) ? SIGTSTP : 0;
			if (sig) {
				signal_char(t, c, sig);
				return true;
			}
		}
		if (I(t, IXON) && (is_cc(t, c, VSTART) || is_cc(t, c, VSTOP)))
			return true; /* flow control is consumed (output is never stopped) */
		if (L(t, IEXTEN) && is_cc(t, c, VLNEXT)) {
			t->lnext = true;
			if (L(t, ECHO) && L(t, ECHOCTL))
				tty_output(t, "^\b", 2);
			return true;
		}
		if (canon && canon_special(t, c))
			return true;
	}
	if (canon) {
		if (room(t) <= 1)
			return true; /* a full line keeps room for its end; the byte is lost */
		if (t->head == t->canon_head)
			t->canon_column = t->column; /* the line starts here on screen */
		if (L(t, ECHO))
			echo_char(t, c);
		put(t, c, false);
		return true;
	}
	if (!room(t))
		return false;
	if (L(t, ECHO))
		echo_char(t, c);
	put(t, c, false);
	t->canon_head = t->head;
	return true;
}

size_t tty_receive(struct tty *t, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t c = (uint8_t)buf[i];
		if (I(t, ISTRIP))
			c &= 0x7f;
		if (!t->lnext) {
			if (c == '\r') {
				if (I(t, IGNCR))
					continue;
				if (I(t, ICRNL))
					c = '\n';
			} else if (c == '\n' && I(t, INLCR)) {
				c = '\r';
			}
		}
		if (!receive_char(t, c))
			break;
	}
	if (!L(t, ICANON))
		tty_wake(t);
	return i;
}
