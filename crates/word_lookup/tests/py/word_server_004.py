"""
    1.5 案例：查找单词 —— 服务端  (notes 004 §1.5)
    The notes describe this case in one sentence and give no code: this is their §1.1.3 UDP
    server with a 单词本, written the way the notes write, speaking word_lookup's wire format
    (one datagram the word, one datagram `WORD: MEANING` or `WORD: not in the dictionary`).
    For the tests the port (argv[1]) and the dictionary file (argv[2]) come from the command
    line, and one print says when it is ready.
"""
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
print("listening on", server_addr, flush=True)  # (added for the tests)

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
