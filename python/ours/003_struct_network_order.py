# 我们写的，笔记没有这个程序：笔记 003_6803229bc8d13a65.txt 第 180-195 行「struct模块」，'i' 换成 '!i'
# （网络字节序，大端），别的一字不改。
# Ours, not in the notes: notes 003_6803229bc8d13a65.txt, lines 180-195, "struct模块", with '!i' (network order,
# big-endian) in place of 'i'; nothing else changed.
# ---
import   struct
#2的23次方都可以转换成4个字节
num1=129469649
num2=123
num3=8

ret1=struct.pack('!i',num1)    # 转化为四字节
print(ret1)
ret2=struct.pack('!i',num2)
print(ret2)
ret3=struct.pack('!i',num3)
print(ret3)#返回的是4位字节

print(struct.unpack('!i',ret1))   # 解开为原来长度
print(struct.unpack('!i',ret2))
print(struct.unpack('!i',ret3))
