# The kern sources the VFS and ext2 host tests (and the fuzz targets in
# tests/fuzz) build, with the stand-ins of test_vfs_env.c. Needs RIVET_ROOT
# and FRAME; sets KFS, KBLOCK, KEXT2, VFS_SOURCES and EXT2_SOURCES.
set(KFS ${RIVET_ROOT}/kern/fs)
set(VFS_SOURCES
  ${KFS}/attr.c ${KFS}/create.c ${KFS}/fdtable.c ${KFS}/file.c ${KFS}/file_dir.c ${KFS}/file_name.c
  ${KFS}/file_limit.c ${KFS}/file_path.c ${KFS}/file_reg.c ${KFS}/getcwd.c ${KFS}/initramfs_unpack.c
  ${KFS}/inode.c ${KFS}/iobuf.c ${KFS}/kpath.c ${KFS}/lock.c ${KFS}/mount.c ${KFS}/open.c ${KFS}/path.c
  ${KFS}/perm.c ${KFS}/remove.c ${KFS}/rename.c ${KFS}/stat.c ${KFS}/tmpfs.c
  ${KFS}/tmpfs_data.c ${KFS}/tmpfs_dir.c ${KFS}/tmpfs_dirhash.c ${KFS}/tmpfs_namei.c ${KFS}/tmpfs_rename.c ${KFS}/write_access.c
  ${KFS}/cpio.c ${RIVET_ROOT}/kern/proc/cred.c ${RIVET_ROOT}/kern/dev/chrdev.c ${RIVET_ROOT}/kern/dev/mem.c
  ${FRAME}/lib/errno_name.c ${CMAKE_CURRENT_LIST_DIR}/test_vfs_env.c
  ${RIVET_ROOT}/kern/block/blkdev_file.c ${RIVET_ROOT}/kern/block/cache.c
  ${RIVET_ROOT}/kern/block/part.c ${RIVET_ROOT}/kern/block/part_parse.c
  ${RIVET_ROOT}/kern/block/registry.c ${RIVET_ROOT}/kern/block/request.c
  ${RIVET_ROOT}/kern/block/slock.c ${RIVET_ROOT}/kern/block/stats.c
  ${RIVET_ROOT}/kern/block/flush.c)
set(KBLOCK ${RIVET_ROOT}/kern/block)
set(KEXT2 ${KFS}/ext2)
set(EXT2_SOURCES ${VFS_SOURCES} ${KFS}/sync.c
  ${KEXT2}/ext2_alloc.c ${KEXT2}/ext2_bmap.c ${KEXT2}/ext2_dir.c ${KEXT2}/ext2_file.c
  ${KEXT2}/ext2_inode.c ${KEXT2}/ext2_lock.c ${KEXT2}/ext2_namei.c ${KEXT2}/ext2_rename.c
  ${KEXT2}/ext2_super.c)
