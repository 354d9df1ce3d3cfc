/* /proc/PID/mounts (and /proc/mounts) and /proc/PID/mountinfo: the mount
 * table in the formats of Linux's fstab-like lines and mountinfo. There is
 * one mount namespace, so every process sees the same table. */
#include "fs/procfs_internal.h"

#define ST_NOATIME 1024

/* Octal escapes for what would break the space-separated fields. */
static void escaped(struct seq *s, const char *str)
{
	for (; *str; str++) {
		if (*str == ' ' || *str == '\t' || *str == '\n' || *str == '\\')
			seq_printf(s, "\\%03o", (unsigned)(unsigned char)*str);
		else
			seq_write(s, str, 1);
	}
}

static void mount_opts(struct seq *s, unsigned flags)
{
	seq_printf(s, "%s%s%s%s%s", flags & ST_RDONLY ? "ro" : "rw",
		   flags & ST_NOSUID ? ",nosuid" : "", flags & ST_NODEV ? ",nodev" : "",
		   flags & ST_NOEXEC ? ",noexec" : "",
		   flags & ST_NOATIME ? ",noatime" : flags & ST_RELATIME ? ",relatime" : "");
}

int proc_show_mounts(struct seq *s, const struct proc_ctx *c)
{
	struct mount_info m;

	(void)c;
	for (unsigned i = 0; vfs_mount_get(i, &m) == 0; i++) {
		escaped(s, m.source);
		seq_write(s, " ", 1);
		escaped(s, m.path);
		seq_printf(s, " %s ", m.sb->type);
		mount_opts(s, m.sb->flags);
		seq_printf(s, " 0 0\n");
	}
	return 0;
}

/* Linux's dev_t split for the major:minor field. */
static unsigned dev_major(uint64_t dev) { return (unsigned)((dev >> 8) & 0xfff); }
static unsigned dev_minor(uint64_t dev) { return (unsigned)((dev & 0xff) | ((dev >> 12) & 0xfff00)); }

int proc_show_mountinfo(struct seq *s, const struct proc_ctx *c)
{
	struct mount_info m;

	(void)c;
	for (unsigned i = 0; vfs_mount_get(i, &m) == 0; i++) {
		seq_printf(s, "%u %u %u:%u / ", m.sb->mnt_id, m.parent_id, dev_major(m.sb->dev),
			   dev_minor(m.sb->dev));
		escaped(s, m.path);
		seq_write(s, " ", 1);
		mount_opts(s, m.sb->flags);
		seq_printf(s, " - %s ", m.sb->type);
		escaped(s, m.source);
		seq_printf(s, " %s\n", m.sb->flags & ST_RDONLY ? "ro" : "rw");
	}
	return 0;
}
