// A seeded "day of use" applied to a tree made by bench/GenerateData.java.
//
//   LC_ALL=C.UTF-8 java bench/MutateData.java --seed 1 --dir DIR [--scale 1.0]
//
// In place edits in some documents (same size), appends to logs, a few KiB inserted in the middle of
// vm/disk.img (the file is rewritten), new photos, notes and small files, deletions, one renamed
// directory, one permission change and one mtime-only change. The same tree, seed and scale give
// the same result; check with bench/Manifest.java.

import java.io.*;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.nio.file.attribute.*;
import java.util.*;
import java.util.concurrent.TimeUnit;

public class MutateData {
    static final long KiB = 1024, MiB = 1024 * 1024;
    /** The "day" of the changes: 2025-01-15 (UTC seconds); new and changed files get mtimes on it. */
    static final long DAY = 1736899200L;
    static final String[] WORDS = ("the of and to in is that for it with as was on be by this are or from at have an not but "
            + "which you all were they their one can has more will would there been if when what about into some other than "
            + "backup server disk home user system network storage photo report year month week day garden holiday invoice "
            + "meeting budget kitchen recipe travel train weather music concert family school project draft final review").split(" ");

    static Path dir;
    static SplittableRandom r;
    static double scale = 1.0;
    static long counter;

    public static void main(String[] args) throws Exception {
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--dir" -> dir = Paths.get(args[++i]);
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                default -> usage("unknown argument: " + args[i]);
            }
        }
        if (dir == null) usage("--dir is required");
        String enc = System.getProperty("sun.jnu.encoding");
        if (enc == null || !enc.replace("-", "").equalsIgnoreCase("UTF8")) usage("run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
        if (!Files.isRegularFile(dir.resolve("vm/disk.img"))) usage(dir + " does not look like a GenerateData tree (no vm/disk.img)");
        r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0xDA7L);

        List<String> files = new ArrayList<>(), dirs = new ArrayList<>();
        list(dir, "", files, dirs);
        Set<String> touched = new HashSet<>();
        StringBuilder log = new StringBuilder();

        // 1. In-place edits of documents: same size, a few spots each.
        List<String> docs = pick(filter(files, f -> f.startsWith("documents/") && f.matches(".*\\.(md|txt|csv|json)$")
                && size(f) >= 4 * KiB), 12, touched);
        int edits = 0;
        for (String f : docs) {
            try (FileChannel ch = FileChannel.open(dir.resolve(f), StandardOpenOption.WRITE)) {
                long size = ch.size();
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    int len = 16 + r.nextInt(2033);
                    ch.write(ByteBuffer.wrap(text(len)), r.nextLong(size - len));
                    edits++;
                }
            }
            setMtime(f);
        }
        log.append(String.format(Locale.ROOT, "edited %d documents in place (%d spots)%n", docs.size(), edits));

        // 2. Appends to logs.
        List<String> logs = pick(filter(files, f -> f.startsWith("logs/") && f.endsWith(".log")), 6, touched);
        long appended = 0;
        for (String f : logs) {
            long n = Math.max(4 * KiB, scaled(256 * KiB + r.nextLong(768 * KiB)));
            StringBuilder sb = new StringBuilder();
            long t = DAY + r.nextInt(3600);
            while (sb.length() < n) {
                t += r.nextInt(60);
                sb.append(java.time.Instant.ofEpochSecond(t)).append(" INFO  [daily] ").append(sentence(6 + r.nextInt(10)))
                        .append(" latency_ms=").append(r.nextInt(900)).append('\n');
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            Files.write(dir.resolve(f), b, StandardOpenOption.APPEND);
            appended += b.length;
            setMtime(f);
        }
        log.append(String.format(Locale.ROOT, "appended %.1f KiB to %d logs%n", appended / 1024.0, logs.size()));

        // 3. A few KiB inserted in the middle of the disk image: the file is rewritten.
        insertIntoImage("vm/disk.img", log);
        touched.add("vm/disk.img");

        // 4. New files: photos of the day, notes, small files in existing directories.
        long newBytes = 0;
        int newFiles = 0;
        String album = "media/photos/2025/Day trip 2025-01-15";
        Files.createDirectories(dir.resolve(album));
        for (int i = 0; i < 3; i++) {
            String f = album + "/IMG_" + (9001 + i) + ".jpg";
            newBytes += writeRandom(f, Math.max(64 * KiB, scaled(2 * MiB + r.nextLong(6 * MiB))));
            newFiles++;
        }
        for (int i = 0; i < 5; i++) {
            String f = "documents/notes/2025-01-15 " + word() + " " + (i + 1) + ".md";
            newBytes += writeText(f, (int) (4 * KiB) + r.nextInt((int) (60 * KiB)));
            newFiles++;
        }
        List<String> homeDirs = filter(dirs, d -> d.startsWith("home/"));
        int smallNew = (int) Math.max(5, scaled(150));
        for (int i = 0; i < smallNew && !homeDirs.isEmpty(); i++) {
            String f = homeDirs.get(r.nextInt(homeDirs.size())) + "/new-" + word() + "-" + i + ".txt";
            newBytes += writeText(f, r.nextInt((int) (12 * KiB)));
            newFiles++;
        }
        log.append(String.format(Locale.ROOT, "added %d files (%.1f MiB)%n", newFiles, newBytes / (double) MiB));

        // 5. Deletions: some small files, one media file, one document.
        List<String> gone = new ArrayList<>();
        gone.addAll(pick(filter(files, f -> f.startsWith("home/")), (int) Math.max(1, scaled(300)), touched));
        gone.addAll(pick(filter(files, f -> f.startsWith("media/")), 1, touched));
        gone.addAll(pick(filter(files, f -> f.startsWith("documents/")), 1, touched));
        long goneBytes = 0;
        for (String f : gone) { goneBytes += size(f); Files.delete(dir.resolve(f)); }
        log.append(String.format(Locale.ROOT, "deleted %d files (%.1f MiB)%n", gone.size(), goneBytes / (double) MiB));

        // 6. Metadata only: one permission change, one mtime change.
        List<String> meta = pick(filter(files, f -> f.startsWith("documents/reports/")), 2, touched);
        if (meta.size() == 2) {
            Path p = dir.resolve(meta.get(0));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r-----"));
            Files.setLastModifiedTime(dir.resolve(meta.get(1)), FileTime.from(DAY + 7200, TimeUnit.SECONDS));
            log.append("changed the mode of 1 file and the mtime of 1 file\n");
        }

        // 7. One directory renamed: a subtree of 20-400 files below home/.
        Map<String, Integer> below = new TreeMap<>();
        for (String f : files)
            for (int i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) below.merge(f.substring(0, i), 1, Integer::sum);
        List<String> candidates = filter(new ArrayList<>(below.keySet()),
                d -> d.startsWith("home/") && d.split("/").length >= 4 && below.get(d) >= 20 && below.get(d) <= 400);
        if (candidates.isEmpty())
            candidates = filter(new ArrayList<>(below.keySet()), d -> d.startsWith("home/") && d.split("/").length >= 3);
        if (!candidates.isEmpty()) {
            String from = candidates.get(r.nextInt(candidates.size()));
            String to = from.substring(0, from.lastIndexOf('/') + 1) + "renamed " + from.substring(from.lastIndexOf('/') + 1);
            Files.move(dir.resolve(from), dir.resolve(to));
            log.append(String.format(Locale.ROOT, "renamed directory %s -> %s (%d files below)%n", from, to, below.get(from)));
        }
        System.out.print(log);
    }

    static void usage(String msg) {
        System.err.println("MutateData: " + msg);
        System.err.println("usage: java bench/MutateData.java --seed N --dir DIR [--scale 1.0]");
        System.exit(2);
    }

    static long scaled(long v) { return Math.round(v * scale); }

    static void list(Path d, String rel, List<String> files, List<String> dirs) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) { for (Path p : ds) children.add(p); }
        children.sort((a, b) -> Arrays.compare(a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                b.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
        for (Path p : children) {
            String name = (rel.isEmpty() ? "" : rel + "/") + p.getFileName();
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) { dirs.add(name); list(p, name, files, dirs); }
            else if (a.isRegularFile()) files.add(name);
        }
    }

    static List<String> filter(List<String> l, java.util.function.Predicate<String> p) {
        List<String> o = new ArrayList<>();
        for (String s : l) if (p.test(s)) o.add(s);
        return o;
    }

    /** Up to n distinct entries not touched yet, in a seeded order; marks them touched. */
    static List<String> pick(List<String> from, int n, Set<String> touched) {
        List<String> pool = filter(from, s -> !touched.contains(s)), out = new ArrayList<>();
        while (out.size() < n && !pool.isEmpty()) {
            String s = pool.remove(r.nextInt(pool.size()));
            out.add(s);
            touched.add(s);
        }
        return out;
    }

    static long size(String f) {
        try { return Files.size(dir.resolve(f)); } catch (IOException e) { throw new UncheckedIOException(e); }
    }

    static void setMtime(String f) throws IOException {
        Files.setLastModifiedTime(dir.resolve(f), FileTime.from(DAY + r.nextInt(86400), TimeUnit.SECONDS));
    }

    static String word() { return WORDS[r.nextInt(WORDS.length)]; }

    static String sentence(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) { if (i > 0) sb.append(' '); sb.append(word()); }
        return sb.append('.').toString();
    }

    /** Exactly len bytes of ASCII text. */
    static byte[] text(int len) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) sb.append(sentence(5 + r.nextInt(10))).append(r.nextInt(6) == 0 ? "\n" : " ");
        return sb.substring(0, len).getBytes(StandardCharsets.US_ASCII);
    }

    static long writeText(String f, int len) throws IOException {
        Files.write(dir.resolve(f), text(len), StandardOpenOption.CREATE_NEW);
        setMtime(f);
        return len;
    }

    static long writeRandom(String f, long len) throws IOException {
        byte[] b = new byte[(int) Math.min(len, MiB)];
        try (OutputStream os = Files.newOutputStream(dir.resolve(f), StandardOpenOption.CREATE_NEW)) {
            for (long left = len; left > 0; ) {
                int n = (int) Math.min(left, b.length);
                for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt();
                os.write(b, 0, n);
                left -= n;
            }
        }
        setMtime(f);
        return len;
    }

    static void insertIntoImage(String f, StringBuilder log) throws IOException {
        Path img = dir.resolve(f), tmp = dir.resolve(f + ".tmp");
        long size = Files.size(img);
        long at = (long) (size * (0.4 + 0.2 * r.nextDouble())) / 512 * 512;
        byte[] insert = new byte[(int) (3 * KiB + r.nextInt((int) (5 * KiB)))];
        for (int i = 0; i < insert.length; i++) insert[i] = (byte) r.nextInt();
        byte[] buf = new byte[(int) MiB];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(img), buf.length);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW), buf.length)) {
            copy(in, out, at, buf);
            out.write(insert);
            copy(in, out, size - at, buf);
        }
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(img));
        Files.move(tmp, img, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        setMtime(f);
        log.append(String.format(Locale.ROOT, "inserted %d bytes at offset %d of %s (%.1f MiB rewritten)%n",
                insert.length, at, f, size / (double) MiB));
    }

    static void copy(InputStream in, OutputStream out, long n, byte[] buf) throws IOException {
        while (n > 0) {
            int k = in.read(buf, 0, (int) Math.min(n, buf.length));
            if (k < 0) throw new EOFException();
            out.write(buf, 0, k);
            n -= k;
        }
    }
}
