// NrrGrr.java - NRR and GRR from an MRR CSV with plain Java and the
// libcsmetrics Java bindings (org.csmetrics, bindings/java).
//
//   java -cp csmetrics.jar:. NrrGrr FILE.csv [WINDOW_MONTHS]
//
// FILE.csv has the header customer_id,month,mrr (month as YYYY-MM; more
// columns are ignored), as examples/data/demo/mrr.csv and the csmetrics
// command's mrr.csv.  Prints end_month,start_month,nrr,grr for every end
// month with a full window (default 12 months), the numbers as Java prints
// doubles (shortest exact form).  The JNI library is taken from the jar when
// java.library.path has none (docs/java.md).
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.csmetrics.Ledger;
import org.csmetrics.ResultTable;

public final class NrrGrr {
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: NrrGrr FILE.csv [WINDOW_MONTHS]");
            System.exit(2);
        }
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        List<String> customers = new ArrayList<>();
        List<YearMonth> months = new ArrayList<>();
        List<Double> mrr = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            List<String> header = Arrays.asList(in.readLine().split(","));
            int c = header.indexOf("customer_id"), m = header.indexOf("month"), v = header.indexOf("mrr");
            if (c < 0 || m < 0 || v < 0)
                throw new IOException(args[0] + ": needs the columns customer_id, month, mrr");
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty())
                    continue;
                String[] f = line.split(",", -1);
                customers.add(f[c]);
                months.add(YearMonth.parse(f[m]));
                mrr.add(Double.parseDouble(f[v]));
            }
        }
        double[] values = mrr.stream().mapToDouble(Double::doubleValue).toArray();
        try (Ledger ledger = Ledger.fromRows(customers.toArray(new String[0]),
                 months.toArray(new YearMonth[0]), values, null, null)) {
            ResultTable r = ledger.retention(new Ledger.RetentionOptions().window(window));
            YearMonth[] end = r.getMonths("end_month");
            YearMonth[] start = r.getMonths("start_month");
            double[] nrr = r.getDoubles("nrr");
            double[] grr = r.getDoubles("grr");
            System.out.println("end_month,start_month,nrr,grr");
            for (int i = 0; i < r.rowCount(); i++)
                System.out.println(end[i] + "," + start[i] + "," + nrr[i] + "," + grr[i]);
        }
    }
}
