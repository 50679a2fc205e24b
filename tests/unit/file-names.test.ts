import { cleanFileName } from "../../server/uploads/names";

describe("cleanFileName", () => {
  it("keeps the last path segment only", () => {
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName("C:\\Users\\me\\photo.jpg")).toBe("photo.jpg");
  });

  it("drops control characters and bidirectional controls, keeps every script and emoji", () => {
    expect(cleanFileName("a\u0000b\u0007c\r\n.txt")).toBe("abc.txt");
    expect(cleanFileName("\u202egnp.exe")).toBe("gnp.exe");
    expect(cleanFileName("x\u2066y\u2069\u200f.png")).toBe("xy.png");
    expect(cleanFileName("东东的照片 👨‍👩‍👧.jpg")).toBe("东东的照片 👨‍👩‍👧.jpg");
  });

  it("cuts long names to 200 code points, keeping the extension; empty becomes file", () => {
    const long = cleanFileName(`${"é".repeat(300)}.jpeg`);
    expect([...long].length).toBe(200);
    expect(long.endsWith("é.jpeg")).toBe(true);
    expect(cleanFileName("  \u202e ")).toBe("file");
    expect(cleanFileName("dir/")).toBe("file");
  });
});
