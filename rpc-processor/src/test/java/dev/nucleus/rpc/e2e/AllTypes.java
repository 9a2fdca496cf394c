package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Oneway;
import dev.nucleus.rpc.Service;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;

/** Every supported type, each echoed back: what goes in must come out. */
@Service
public interface AllTypes {
  boolean echoBoolean(boolean v);

  byte echoByte(byte v);

  short echoShort(short v);

  char echoChar(char v);

  int echoInt(int v);

  long echoLong(long v);

  float echoFloat(float v);

  double echoDouble(double v);

  Boolean echoBoxedBoolean(Boolean v);

  Character echoBoxedChar(Character v);

  Integer echoBoxedInt(Integer v);

  Long echoBoxedLong(Long v);

  Double echoBoxedDouble(Double v);

  String echoString(String v);

  byte[] echoBytes(byte[] v);

  ByteBuffer echoBuffer(ByteBuffer v);

  MemorySegment echoSegment(MemorySegment v);

  Color echoColor(Color v);

  Point echoPoint(Point v);

  Shape echoShape(Shape v);

  boolean[] echoBooleans(boolean[] v);

  short[] echoShorts(short[] v);

  char[] echoChars(char[] v);

  int[] echoInts(int[] v);

  long[] echoLongs(long[] v);

  float[] echoFloats(float[] v);

  double[] echoDoubles(double[] v);

  String[] echoStrings(String[] v);

  Color[] echoColors(Color[] v);

  int[][] echoMatrix(int[][] v);

  Point[][] echoGrid(Point[][] v);

  List<String> echoStringList(List<String> v);

  List<List<Integer>> echoNested(List<List<Integer>> v);

  List<byte[]> echoChunks(List<byte[]> v);

  List<Shape> echoShapes(List<Shape> v);

  /**
   * Many primitives of different alignments in one frame.
   *
   * @return them all, as a string
   */
  String mixed(byte a, long b, short c, String d, int e, double f, boolean g, char h, float i);

  /** No arguments, no result. */
  void nothing();

  /**
   * What the server sees of a ByteBuffer argument.
   *
   * @return "read-only" if it is a read-only view
   */
  String inspect(ByteBuffer v);

  /**
   * An overload: its own id.
   *
   * @return v + 1
   */
  int plus(int v);

  /**
   * An overload: its own id.
   *
   * @return v + 1
   */
  long plus(long v);

  /** A one-way method with arguments. */
  @Oneway
  void record(String event, Point where);
}
