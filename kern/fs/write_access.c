/* Writers against running programs (vfs.h): inode->writers counts opens
 * for writing up and exec denials down, so one side's presence makes the
 * other's attempt fail with -ETXTBSY, as Linux's i_writecount. */
#include <frame/errno.h>
#include "fs/vfs.h"

int inode_get_write_access(struct inode *ino)
{
	if (ino->writers < 0)
		return -ETXTBSY;
	ino->writers++;
	return 0;
}

void inode_put_write_access(struct inode *ino)
{
	ino->writers--;
}

int inode_deny_write_access(struct inode *ino)
{
	if (ino->writers > 0)
		return -ETXTBSY;
	ino->writers--;
	return 0;
}

void inode_allow_write_access(struct inode *ino)
{
	ino->writers++;
}
