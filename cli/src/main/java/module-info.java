/**
 * The {@code nucleus} command: demo, ping, ps, and what the kernel shows a user. Depends on the kernel
 * and the system layer, never on the bench.
 */
module dev.nucleus.cli {
  requires dev.nucleus.kernel;
  requires dev.nucleus.system; // the root task (run, demo) and the status segments ps reads
  requires info.picocli;
  requires HdrHistogram; // an automatic module: its jar has no module-info and no Automatic-Module-Name
  requires com.fasterxml.jackson.databind;

  // picocli reads and sets the commands' annotated fields reflectively.
  opens dev.nucleus.cli to info.picocli;
  // The kernel instantiates a process component reflectively in the child JVM.
  exports dev.nucleus.cli.echo to dev.nucleus.kernel;
}
