/* nps_example.c - (stub, being written) */
#include <csmetrics/csmetrics.h>
#include <stdio.h>
int main(void) { printf("libcsmetrics %s\n", csm_version()); return 0; }
