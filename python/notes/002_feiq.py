# 笔记原文：002_3ed8f3c9aec243c0.txt 第 119-131 行，「UDP发送飞秋消息」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 119-131, "UDP发送飞秋消息"
# 改动：port indent fix
# Edits: port indent fix
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记发往 "192.168.113." + str(i) 的 2425 端口；这里发往 127.0.0.1，端口是命令行的第 1 个参数。
# port: the notes send to "192.168.113." + str(i), port 2425; here to 127.0.0.1, on the port of argument 1.
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# fix：笔记的 `def main()` 少了冒号，Python 拒绝整个文件；这里补上。
# fix: the notes' `def main()` lacks its colon, and Python refuses the whole file; it is added.
# ---
import socket
import sys  # port
def main():  # fix
    # 发送飞秋消息
    udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    i =116
    while True:
        str1 = input("请输入内容:")
        str2 = "1:324244:小道士:ubuntu:32:" + str1
        ip_num = "127.0.0.1"  # port
        udp_socket.sendto((str2).encode("gbk"),(ip_num,int(sys.argv[1])))  # port
    udp_socket.close()
if __name__ == '__main__':
    main()
