# 笔记原文：003_6803229bc8d13a65.txt 第 180-195 行，「struct模块」
# Source: notes 003_6803229bc8d13a65.txt, lines 180-195, "struct模块"
# 改动：无
# Edits: none
# ---
import   struct
#2的23次方都可以转换成4个字节
num1=129469649
num2=123
num3=8

ret1=struct.pack('i',num1)    # 转化为四字节
print(ret1)
ret2=struct.pack('i',num2)
print(ret2)
ret3=struct.pack('i',num3)
print(ret3)#返回的是4位字节

print(struct.unpack('i',ret1))   # 解开为原来长度
print(struct.unpack('i',ret2))
print(struct.unpack('i',ret3))
