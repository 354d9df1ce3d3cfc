# Boot media for the boards (not built by `all`; docs/boards/):
#   cmake --build build --target uboot-disk   ->  build/boards/uboot-disk.img
#       GPT + FAT with extlinux.conf for U-Boot's distro boot (QEMU virt, virtio-blk)
#   cmake --build build --target vf2-sdcard   ->  build/boards/visionfive2-sdcard.img
#       the VisionFive 2 microSD image for the board's own U-Boot
# Both are made without root by scripts/mk-uboot-disk.sh / mk-vf2-sdcard.sh
# from build/Image and the busybox initramfs.
set(RIVET_BOARDS_DIR ${CMAKE_BINARY_DIR}/boards)
set(RIVET_UBOOT_DISK ${RIVET_BOARDS_DIR}/uboot-disk.img)
set(RIVET_VF2_SDCARD ${RIVET_BOARDS_DIR}/visionfive2-sdcard.img)
set(RIVET_VF2_APPEND "console=ttyS0,115200" CACHE STRING
    "Kernel command line written into the VisionFive 2 SD card's boot files")

set(boards_deps rivet ${CMAKE_SOURCE_DIR}/scripts/lib/boot-disk.sh)
add_custom_command(OUTPUT ${RIVET_UBOOT_DISK}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RIVET_BOARDS_DIR}
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/mk-uboot-disk.sh --image ${CMAKE_BINARY_DIR}/Image
          --initrd ${RIVET_ROOTFS_CPIO} --out ${RIVET_UBOOT_DISK}
  DEPENDS ${boards_deps} ${RIVET_ROOTFS_CPIO} ${CMAKE_SOURCE_DIR}/scripts/mk-uboot-disk.sh
  COMMENT "Writing the U-Boot disk image ${RIVET_UBOOT_DISK}"
  VERBATIM)
add_custom_target(uboot-disk DEPENDS ${RIVET_UBOOT_DISK})

add_custom_command(OUTPUT ${RIVET_VF2_SDCARD}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RIVET_BOARDS_DIR}
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/mk-vf2-sdcard.sh --image ${CMAKE_BINARY_DIR}/Image
          --initrd ${RIVET_ROOTFS_CPIO} --out ${RIVET_VF2_SDCARD} --append ${RIVET_VF2_APPEND}
  DEPENDS ${boards_deps} ${RIVET_ROOTFS_CPIO} ${CMAKE_SOURCE_DIR}/scripts/mk-vf2-sdcard.sh
  COMMENT "Writing the VisionFive 2 SD card image ${RIVET_VF2_SDCARD}"
  VERBATIM)
add_custom_target(vf2-sdcard DEPENDS ${RIVET_VF2_SDCARD})
