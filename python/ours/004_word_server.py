# 我们写的，笔记没有这个程序：笔记 004_bd2fe1a54798baeb.txt 第 133-137 行「1.5 案例：查找单词」只用一句话描述，没有代码。
# 这是笔记第 62-86 行「1.1.3 UDP 服务端编程」的服务端加上单词本，照笔记的写法写，说 word_lookup 的格式：
# 一个数据报是单词，回答一个数据报 `单词: 解释` 或 `单词: not in the dictionary`。
# Ours, not in the notes: notes 004_bd2fe1a54798baeb.txt, lines 133-137, "1.5 案例：查找单词", describe the case in one
# sentence, without code. This is the notes' server of lines 62-86 ("1.1.3 UDP 服务端编程") with a
# 单词本, written the way the notes write, speaking word_lookup's format: one datagram the word, one
# datagram back `WORD: MEANING` or `WORD: not in the dictionary`.
# 端口（第 1 个参数）和单词本文件（第 2 个参数）来自命令行；开始监听后打印 listening on …。
# The port (argument 1) and the dictionary file (argument 2) come from the command line; it prints
# listening on ... once listening.
# ---
import sys
from socket import *

# 单词本: 每行 "单词 解释"
words = {}
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        word, meaning = line.split(None, 1)
        words[word.lower()] = meaning.strip()

# 1. 创建套接字
sockfd = socket(AF_INET, SOCK_DGRAM)

# 2. 绑定地址
server_addr = ("127.0.0.1", int(sys.argv[1]))
sockfd.bind(server_addr)
print("listening on", server_addr, flush=True)

# 3. 循环收发消息
while True:
    try:
        data, addr = sockfd.recvfrom(1024)
    except KeyboardInterrupt:
        break
    word = data.decode().strip().lower()
    if word in words:
        answer = "%s: %s" % (word, words[word])
    else:
        answer = "%s: not in the dictionary" % word
    print("From clinet %s ,Msg: %s" % (addr, word), flush=True)
    sockfd.sendto(answer.encode(), addr)

# 4. 关闭套接字
sockfd.close()
