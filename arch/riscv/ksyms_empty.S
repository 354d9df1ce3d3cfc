/* The symbol table of the first link pass: empty (see scripts/gen-ksyms.sh). */
	.section .rivet.ksyms, "a"
	.balign	8
	.globl	ksym_count, ksym_table, ksym_names
ksym_count:
	.dword	0
ksym_table:
ksym_names:
	.byte	0
