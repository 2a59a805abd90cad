// Checksum manifest of a directory tree, used to check that a restore matches its source.
//
//   LC_ALL=C.UTF-8 java bench/Manifest.java DIR [--out FILE] [--threads 2]
//
// One line per entry below DIR (DIR itself excluded), sorted by the raw bytes of each name:
//   TYPE <tab> MODE <tab> SIZE <tab> SHA-256 | LINK TARGET | - <tab> PATH <tab> MTIME
// TYPE is f (file), d (directory), l (symlink), o (other). Bytes <= 0x20, 0x7F, '%' and '\' in
// paths and link targets are written as %XX, so every entry is one line. Symlinks are not followed.
// MTIME (seconds, files only, '-' otherwise) is informational: the printed digest is the SHA-256 of
// the lines without it, and equals the one bench/GenerateData.java prints for the same tree.

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.nio.file.attribute.*;
import java.security.MessageDigest;
import java.util.*;
import java.util.concurrent.*;

public class Manifest {
    public static void main(String[] args) throws Exception {
        Path root = null, outFile = null;
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> outFile = Paths.get(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> {
                    if (root != null || args[i].startsWith("--")) usage("unexpected argument: " + args[i]);
                    root = Paths.get(args[i]);
                }
            }
        }
        if (root == null) usage("DIR is required");
        String enc = System.getProperty("sun.jnu.encoding");
        if (enc == null || !enc.replace("-", "").equalsIgnoreCase("UTF8")) {
            System.err.println("Manifest: file names would be decoded as " + enc + "; run with LC_ALL=C.UTF-8");
            System.exit(2);
        }
        if (!Files.isDirectory(root)) usage(root + " is not a directory");
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> { Thread t = new Thread(r); t.setDaemon(true); return t; });
        List<Row> rows = new ArrayList<>();
        walk(root, root, rows, pool);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        long files = 0, bytes = 0;
        try (Writer w = outFile == null ? Writer.nullWriter()
                : new BufferedWriter(new OutputStreamWriter(new FileOutputStream(outFile.toFile()), StandardCharsets.UTF_8))) {
            for (Row r : rows) {
                if (r.hash != null) { r.cols[3] = r.hash.get(); files++; bytes += Long.parseLong(r.cols[2]); }
                String line = String.join("\t", r.cols);
                d.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                w.write(line + "\t" + r.mtime + "\n");
            }
        }
        System.out.printf(Locale.ROOT, "%d entries, %d files, %.1f MiB%n", rows.size(), files, bytes / 1048576.0);
        System.out.println("manifest digest: " + HexFormat.of().formatHex(d.digest()));
    }

    static void usage(String msg) {
        System.err.println("Manifest: " + msg);
        System.err.println("usage: java bench/Manifest.java DIR [--out FILE] [--threads 2]");
        System.exit(2);
    }

    static final class Row {
        final String[] cols;
        Future<String> hash;
        String mtime = "-";
        Row(String... cols) { this.cols = cols; }
    }

    static String esc(byte[] name) {
        StringBuilder sb = new StringBuilder();
        for (byte x : name) {
            int c = x & 0xFF;
            if (c <= 0x20 || c == 0x7F || c == '%' || c == '\\') sb.append('%').append(String.format("%02X", c));
            else sb.append((char) c);
        }
        return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static void walk(Path root, Path dir, List<Row> rows, ExecutorService pool) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) { for (Path p : ds) children.add(p); }
        children.sort((a, b) -> Arrays.compare(a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                b.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
        for (Path p : children) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            StringBuilder rel = new StringBuilder();
            for (Path part : root.relativize(p)) {
                if (rel.length() > 0) rel.append('/');
                rel.append(esc(part.toString().getBytes(StandardCharsets.UTF_8)));
            }
            String mode = String.format("%04o", modeOf(a.permissions()));
            if (a.isSymbolicLink()) {
                rows.add(new Row("l", "0777", "-", esc(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8)), rel.toString()));
            } else if (a.isDirectory()) {
                rows.add(new Row("d", mode, "-", "-", rel.toString()));
                walk(root, p, rows, pool);
            } else if (a.isRegularFile()) {
                Row r = new Row("f", mode, Long.toString(a.size()), null, rel.toString());
                r.hash = pool.submit(() -> sha256(p));
                r.mtime = Long.toString(a.lastModifiedTime().to(TimeUnit.SECONDS));
                rows.add(r);
            } else {
                rows.add(new Row("o", mode, "-", "-", rel.toString()));
            }
        }
    }

    static int modeOf(Set<PosixFilePermission> s) {
        int m = 0;
        for (PosixFilePermission p : s) m |= 1 << (8 - p.ordinal());
        return m;
    }

    static String sha256(Path p) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = new FileInputStream(p.toFile())) {
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
