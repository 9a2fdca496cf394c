package dev.nucleus.rpc.e2e;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** An implementation of {@link AllTypes} that returns what it gets. */
class AllTypesEcho implements AllTypes {
  final List<String> events = new ArrayList<>();

  @Override public boolean echoBoolean(boolean v) { return v; }
  @Override public byte echoByte(byte v) { return v; }
  @Override public short echoShort(short v) { return v; }
  @Override public char echoChar(char v) { return v; }
  @Override public int echoInt(int v) { return v; }
  @Override public long echoLong(long v) { return v; }
  @Override public float echoFloat(float v) { return v; }
  @Override public double echoDouble(double v) { return v; }
  @Override public Boolean echoBoxedBoolean(Boolean v) { return v; }
  @Override public Character echoBoxedChar(Character v) { return v; }
  @Override public Integer echoBoxedInt(Integer v) { return v; }
  @Override public Long echoBoxedLong(Long v) { return v; }
  @Override public Double echoBoxedDouble(Double v) { return v; }
  @Override public String echoString(String v) { return v; }
  @Override public byte[] echoBytes(byte[] v) { return v; }
  @Override public ByteBuffer echoBuffer(ByteBuffer v) { return v; }
  @Override public MemorySegment echoSegment(MemorySegment v) { return v; }
  @Override public Color echoColor(Color v) { return v; }
  @Override public Point echoPoint(Point v) { return v; }
  @Override public Shape echoShape(Shape v) { return v; }
  @Override public boolean[] echoBooleans(boolean[] v) { return v; }
  @Override public short[] echoShorts(short[] v) { return v; }
  @Override public char[] echoChars(char[] v) { return v; }
  @Override public int[] echoInts(int[] v) { return v; }
  @Override public long[] echoLongs(long[] v) { return v; }
  @Override public float[] echoFloats(float[] v) { return v; }
  @Override public double[] echoDoubles(double[] v) { return v; }
  @Override public String[] echoStrings(String[] v) { return v; }
  @Override public Color[] echoColors(Color[] v) { return v; }
  @Override public int[][] echoMatrix(int[][] v) { return v; }
  @Override public Point[][] echoGrid(Point[][] v) { return v; }
  @Override public List<String> echoStringList(List<String> v) { return v; }
  @Override public List<List<Integer>> echoNested(List<List<Integer>> v) { return v; }
  @Override public List<byte[]> echoChunks(List<byte[]> v) { return v; }
  @Override public List<Shape> echoShapes(List<Shape> v) { return v; }

  @Override
  public String mixed(byte a, long b, short c, String d, int e, double f, boolean g, char h, float i) {
    return a + "," + b + "," + c + "," + d + "," + e + "," + f + "," + g + "," + h + "," + i;
  }

  @Override public void nothing() {}

  @Override
  public String inspect(ByteBuffer v) {
    return v == null ? "null" : (v.isReadOnly() ? "read-only" : "writable") + " " + v.remaining();
  }

  @Override public int plus(int v) { return v + 1; }
  @Override public long plus(long v) { return v + 1; }

  @Override
  public void record(String event, Point where) {
    events.add(event + "@" + where);
  }
}
