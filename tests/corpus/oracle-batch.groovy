/*
 * Batch driver for the shared oracle where every run has its own arguments
 * (the oracle's own -batch mode shares one argument list per JVM, which makes
 * per-profile runs cost one JVM start each).
 *
 * usage: groovy oracle-batch.groovy ORACLE_DIR LIST OUTDIR SECONDS
 *   LIST: one run per line, tab-separated: ID, then the oracle arguments
 *   (the config file last). Writes OUTDIR/ID.out and OUTDIR/ID.err.
 */
def oracleDir = new File(args[0])
def list = new File(args[1])
def outDir = new File(args[2])
long secs = args[3] as long
def gcl = new GroovyClassLoader(getClass().classLoader)
gcl.addClasspath(new File(oracleDir, 'lib').path)
def main = gcl.loadClass('nforacle.Main')
def runSafe = main.getMethod('runSafe', List, PrintStream, PrintStream)
for( String line : list.readLines() ) {
    if( !line.trim() ) continue
    def cols = line.split('\t') as List<String>
    String id = cols[0]
    List<String> runArgs = cols.subList(1, cols.size())
    def bo = new ByteArrayOutputStream(), be = new ByteArrayOutputStream()
    def po = new PrintStream(bo, true, 'UTF-8'), pe = new PrintStream(be, true, 'UTF-8')
    def th = new Thread({ runSafe.invoke(null, runArgs, po, pe) } as Runnable)
    th.daemon = true
    th.start()
    th.join(secs * 1000)
    if( th.isAlive() ) {
        try { th.stop() } catch( Throwable ignored ) { }
        pe.println("ERROR: timeout after ${secs}s")
    }
    new File(outDir, id + '.out').bytes = bo.toByteArray()
    new File(outDir, id + '.err').bytes = be.toByteArray()
}
System.exit(0)
